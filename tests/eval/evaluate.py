"""Precision and recall of claim extraction on the labelled set, for text, .docx and PDF input.

Usage: .venv/bin/python tests/eval/evaluate.py [--split dev|heldout|all] [--format text|docx|pdf|all] [--errors]

A predicted claim matches a labelled one when they are in the same record, their spans
overlap (location), the values are equal and the units are equal; each label matches
at most one prediction. Case adoption claims match on the same sentence instead of the
span, since the label names the adoption phrase. Subjects are compared loosely (one
contains the other, ignoring spaces); status and `approximate` exactly.
`--errors` prints the misses and false alarms, and only for the dev split: the
held-out split is for reporting, not for tuning.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(ROOT))

FILES = {"dev": ["synthetic_dev.jsonl", "synthetic_dev2.jsonl", "synthetic_dev3.jsonl", "synthetic_dev4.jsonl", "synthetic_dev5.jsonl", "synthetic_dev6.jsonl", "synthetic_dev7.jsonl", "synthetic_dev8.jsonl", "synthetic_dev9.jsonl", "synthetic_dev10.jsonl", "synthetic_dev11.jsonl", "synthetic_dev12.jsonl", "synthetic_dev13.jsonl", "synthetic_dev14.jsonl", "seed_001.jsonl", "seed_000.jsonl", "seed_002.jsonl", "seed_003.jsonl"], "heldout": ["synthetic_heldout.jsonl", "seed_004.jsonl"]}
GOALS = {"precision": 0.97, "recall": 0.95, "subject": 0.90, "status": 0.97}


@dataclass
class Gold:
    record: str
    start: int
    end: int
    value: float
    unit: str
    subject: str
    status: str
    approximate: bool
    kind: str
    span: str


@dataclass
class Pred:
    record: str
    start: int
    end: int
    value: float
    unit: str
    subject: str
    status: str
    approximate: bool
    kind: str
    quote: str
    rule: str


@dataclass
class Metrics:
    gold: int = 0
    pred: int = 0
    matched: int = 0
    subject_ok: int = 0
    status_ok: int = 0
    approx_ok: int = 0
    misses: list = field(default_factory=list)
    false_alarms: list = field(default_factory=list)
    wrong_fields: list = field(default_factory=list)

    def rates(self) -> dict[str, float]:
        m = max(self.matched, 1)
        return {
            "precision": self.matched / max(self.pred, 1),
            "recall": self.matched / max(self.gold, 1),
            "subject": self.subject_ok / m,
            "status": self.status_ok / m,
            "approximate": self.approx_ok / m,
        }


def load_records(split: str, path: str | None = None) -> list[dict]:
    names = [path] if path else FILES["dev"] + FILES["heldout"] if split == "all" else FILES[split]
    out = []
    for n in names:
        with open(HERE / n, encoding="utf-8") as f:
            out.extend(json.loads(line) for line in f if line.strip())
    return out


def gold_of(rec: dict) -> list[Gold]:
    out = []
    text = rec["text"]
    for c in rec["claims"]:
        starts = [m.start() for m in re.finditer(f"(?={re.escape(c['span'])})", text)]
        s = starts[c.get("nth", 0)]
        out.append(Gold(rec["id"], s, s + len(c["span"]), float(c["value"]), c["unit"], c.get("subject", ""),
                        c["status"], bool(c["approximate"]), c.get("kind", "quantity"), c["span"]))
    return out


def documents(records: list[dict], fmt: str, tmp: Path):
    """Group records into documents (a seed is one document of many records) and read them back
    through the real reader for the format; yields (document, [(record id, record text)])."""
    from extractors.readers import read_document
    from tests.helpers.files import make_docx, make_pdf

    groups: dict[str, list[dict]] = {}
    for r in records:
        key = r["source"] if r["source"].startswith("seed") else r["id"]
        groups.setdefault(key, []).append(r)
    for key, recs in groups.items():
        paragraphs = [p for r in recs for p in r["text"].split("\n") if p.strip()]
        if fmt == "text":  # a .txt file read by the real reader: noise marking included
            path = tmp / f"{key}.txt"
            path.write_text("\n".join(paragraphs), encoding="utf-8")
            doc = read_document(path)
        elif fmt == "docx":
            doc = read_document(make_docx(tmp / f"{key}.docx", paragraphs))
        else:
            doc = read_document(make_pdf(tmp / f"{key}.pdf", paragraphs))
        yield doc, [(r["id"], r["text"]) for r in recs]


def _locate(doc, recs: list[tuple[str, str]]):
    """Map each block to (record id, offset of the block's text in the record text)."""
    squash = lambda s: re.sub(r"\s+", "", s)  # noqa: E731
    where = {}
    cursor = 0
    flat = [(rid, text) for rid, text in recs]
    for b in doc.blocks:
        for k in range(cursor, len(flat)):
            rid, text = flat[k]
            i = text.find(b.text)
            if i != -1:
                where[b.index] = (rid, i)
                cursor = k
                break
            if squash(b.text) and squash(b.text) in squash(text):
                where[b.index] = (rid, None)
                cursor = k
                break
    return where


def predictions(doc, recs) -> list[Pred]:
    from extractors.pipeline import extract_claims

    where = _locate(doc, recs)
    texts = dict(recs)
    out = []
    for c in extract_claims(doc):
        if c.block not in where:
            continue
        rid, off = where[c.block]
        span = doc.blocks[c.block].text[c.start:c.end]
        end = None
        if off is None:  # PDF joined the lines differently: find the span in the record, near its quote
            found = _find_loose(texts[rid], span, c.quote, c.start - c.quote_start)
            if found is None:
                continue
            start, end = found
        else:
            start = off + c.start
        out.append(Pred(rid, start, end or start + len(span), c.value, c.unit, c.subject, c.status, c.approximate,
                        c.kind, c.quote, c.rule_id))
    return out


def _spaced(s: str) -> str:
    """A pattern for `s` that lets line breaks and spaces stand between its characters."""
    return r"\s*".join(re.escape(ch) for ch in re.sub(r"\s", "", s))


def _find_loose(text: str, span: str, quote: str, at: int) -> tuple[int, int] | None:
    """(start, end) of `span` in the record text, whitespace ignored, at the place the claim has
    in its quote (`at` characters in) when the quote can be found: the same number may occur
    earlier in the record, or earlier in the same sentence."""
    q = re.search(_spaced(quote), text) if quote.strip() else None
    lo = 0
    if q:
        skip, lo = len(re.sub(r"\s", "", quote[:at])), q.start()
        while skip and lo < len(text):
            skip -= not text[lo].isspace()
            lo += 1
    m = re.compile(_spaced(span)).search(text, lo) or re.search(_spaced(span), text)
    return (m.start(), m.end()) if m else None


def _loose(a: str, b: str) -> bool:
    a, b = re.sub(r"\s", "", a), re.sub(r"\s", "", b)
    if not a or not b:
        return a == b
    return a in b or b in a


def score(golds: list[Gold], preds: list[Pred], texts: dict[str, str], m: Metrics) -> None:
    m.gold += len(golds)
    m.pred += len(preds)
    used: set[int] = set()
    for p in preds:
        hit = None
        for i, g in enumerate(golds):
            if i in used or g.record != p.record or abs(g.value - p.value) > 1e-6 * max(1, abs(g.value)):
                continue
            if g.kind == "case_adopted" or p.kind == "case_adopted":
                if g.kind == p.kind and g.span in p.quote:
                    hit = i
                    break
                continue
            if g.unit == p.unit and p.start < g.end and g.start < p.end:
                hit = i
                break
        if hit is None:
            m.false_alarms.append((p.record, texts[p.record][p.start:p.end], p.value, p.unit, p.rule, p.quote[:60]))
            continue
        used.add(hit)
        g = golds[hit]
        m.matched += 1
        m.subject_ok += _loose(g.subject, p.subject)
        m.status_ok += g.status == p.status
        m.approx_ok += g.approximate == p.approximate
        if not _loose(g.subject, p.subject) or g.status != p.status or g.approximate != p.approximate:
            m.wrong_fields.append((g.record, g.span, (g.subject, p.subject), (g.status, p.status),
                                   (g.approximate, p.approximate)))
    for i, g in enumerate(golds):
        if i not in used:
            t = texts[g.record]
            m.misses.append((g.record, g.span, g.value, g.unit, t[max(0, g.start - 15):g.end + 10]))


def evaluate(split: str, fmt: str, path: str | None = None) -> Metrics:
    records = load_records(split, path)
    texts = {r["id"]: r["text"] for r in records}
    golds_by_rec: dict[str, list[Gold]] = {}
    for r in records:
        golds_by_rec[r["id"]] = gold_of(r)
    m = Metrics()
    with tempfile.TemporaryDirectory() as tmp:
        for doc, recs in documents(records, fmt, Path(tmp)):
            preds = predictions(doc, recs)
            golds = [g for rid, _ in recs for g in golds_by_rec[rid]]
            score(golds, preds, texts, m)
    return m


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--split", default="heldout", choices=["dev", "heldout", "all"])
    ap.add_argument("--format", default="all", choices=["text", "docx", "pdf", "all"])
    ap.add_argument("--errors", action="store_true", help="print misses and false alarms (dev only)")
    ap.add_argument("--file", help="measure one labelled file kept outside the repository instead of a split "
                    "(real public pages, whose text is not ours to commit); its records' split says whether "
                    "--errors may print")
    args = ap.parse_args()
    if args.file:
        with open(args.file, encoding="utf-8") as f:
            args.split = json.loads(next(line for line in f if line.strip()))["split"]
    fmts = ["text", "docx", "pdf"] if args.format == "all" else [args.format]
    print(f"{'split':8} {'format':6} {'gold':>5} {'pred':>5} {'match':>5} {'precision':>9} {'recall':>7} "
          f"{'subject':>7} {'status':>7} {'approx':>7}")
    for fmt in fmts:
        m = evaluate(args.split, fmt, args.file)
        r = m.rates()
        print(f"{args.split:8} {fmt:6} {m.gold:5d} {m.pred:5d} {m.matched:5d} {r['precision']:9.3f} {r['recall']:7.3f} "
              f"{r['subject']:7.3f} {r['status']:7.3f} {r['approximate']:7.3f}")
        if args.errors and args.split == "dev":
            for x in m.misses:
                print("  MISS ", x)
            for x in m.false_alarms:
                print("  FALSE", x)
            for x in m.wrong_fields:
                print("  FIELD", x)
    print("goals: " + ", ".join(f"{k} ≥ {v}" for k, v in GOALS.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
