#!/usr/bin/env python3
"""Validate the labelled evaluation set in tests/eval/ and print counts.

Usage: python tests/eval/check_labels.py [--seeds DIR]

Checks every record of the JSONL files in FILES (see LABELING.md for the conventions):
  * record fields, ids unique, split/source consistent with the file;
  * every claim: fields and types; the span occurs in the text at least nth+1 times
    (occurrences counted with overlapping str.find); the occurrence does not start in the
    middle of a number; the unit is written in the span; the value equals the numeral of
    the span (万/亿 folded, Chinese numerals, ranges -> lower bound); approximate is true
    exactly when an approximation marker is in or next to the span;
  * synthetic passages have 1-12 paragraphs, and no synthetic dev passage shares a sentence
    with a held-out file (reported by dev record id only: no held-out text is printed);
  * seed files have one record per non-empty seed line, in order (when the seeds exist).
Exit status 1 when any error is found.
"""
import argparse
import json
import os
import re
import sys
from collections import Counter

HERE = os.path.dirname(os.path.abspath(__file__))
FILES = {
    "synthetic_dev.jsonl": ("dev", "synthetic"),
    "synthetic_dev2.jsonl": ("dev", "synthetic"),
    "synthetic_dev3.jsonl": ("dev", "synthetic"),
    "synthetic_dev4.jsonl": ("dev", "synthetic"),
    "synthetic_dev5.jsonl": ("dev", "synthetic"),
    "synthetic_dev6.jsonl": ("dev", "synthetic"),
    "synthetic_dev7.jsonl": ("dev", "synthetic"),
    "synthetic_dev8.jsonl": ("dev", "synthetic"),
    "synthetic_dev9.jsonl": ("dev", "synthetic"),
    "synthetic_dev10.jsonl": ("dev", "synthetic"),
    "synthetic_dev11.jsonl": ("dev", "synthetic"),
    "synthetic_dev12.jsonl": ("dev", "synthetic"),
    "synthetic_dev13.jsonl": ("dev", "synthetic"),
    "synthetic_dev14.jsonl": ("dev", "synthetic"),
    "synthetic_heldout.jsonl": ("heldout", "synthetic"),
    "seed_001.jsonl": ("dev", "seed001"),
    "seed_000.jsonl": ("dev", "seed000"),
    "seed_002.jsonl": ("dev", "seed002"),
    "seed_003.jsonl": ("dev", "seed003"),
    "seed_004.jsonl": ("heldout", "seed004"),
}
SEED_FILES = {"seed001": "001_9fe1d94911619f40.txt", "seed004": "004_ee855b8d2c299439.txt",
              "seed000": "000_7c4b46fed01b3780.txt", "seed002": "002_35781764647825f0.txt",
              "seed003": "003_fd877a001625ecf2.txt"}

STATUSES = {"done", "planned"}
LEVELS = {"national", "provincial", "municipal"}
CLAIM_KEYS = {"span", "nth", "value", "unit", "subject", "action", "status", "approximate"}
CASE_KEYS = {"kind", "level", "body"}

CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
             "六": 6, "七": 7, "八": 8, "九": 9}
CN_SMALL = {"十": 10, "百": 100, "千": 1000}
CN_BIG = {"万": 10_000, "亿": 100_000_000}
NUM_CHARS = "0123456789.零〇一二两三四五六七八九十百千万亿余多几数上"
# approximation markers: inside the span, just before it, just after it
IN_SPAN = ("余", "多", "几", "上百", "上千", "上万", "数百", "数千", "数十")
BEFORE = ("约", "约有", "近", "超过", "逾", "不少于", "不低于", "不足", "不到", "大约",
          "約", "超過", "不超過", "不超过")  # traditional forms as served by converted pages
AFTER = ("以上", "左右", "以内", "以下", "多")


def occurrences(text, s):
    out, i = [], text.find(s)
    while i != -1:
        out.append(i)
        i = text.find(s, i + 1)
    return out


def parse_number(run):
    """Value of a numeral such as 1.2万, 3万4000, 二十五, 一百零八, 十几, 上百, 22余万."""
    run = run.replace("余", "").replace("多", "")
    if run.startswith("上") or run.startswith("数"):
        run = "一" + run[1:]
    if run.startswith("几"):
        run = "一" + run[1:]
    run = run.replace("几", "")
    total, section, current = 0.0, 0.0, None
    for tok in re.findall(r"\d+(?:\.\d+)?|.", run):
        if tok[0].isdigit():
            current = float(tok)
        elif tok in CN_DIGITS:
            current = CN_DIGITS[tok]
        elif tok in CN_SMALL:
            section += (1 if current is None else current) * CN_SMALL[tok]
            current = None
        elif tok in CN_BIG:
            section += 0 if current is None else current
            if section == 0:
                section = 1
            total += section * CN_BIG[tok]
            section, current = 0.0, None
        else:
            raise ValueError(f"cannot read numeral {run!r}")
    return total + section + (current or 0)


def span_value(span):
    """Value written at the start of a span; a range gives its lower bound. Traditional
    萬/億/兩 count as 万/亿/两, and spaces or line breaks inside the numeral are skipped
    ("7.5 万处", "1000\n余人次": real pages and PDFs put them there)."""
    span = span.translate(str.maketrans("萬億兩", "万亿两"))
    span = re.sub(r"(?<=[%s])\s+(?=[%s])" % (re.escape(NUM_CHARS), re.escape(NUM_CHARS)), "", span)
    m = re.match(r"[%s]+?(?=千米)|[%s]+" % (re.escape(NUM_CHARS), re.escape(NUM_CHARS)), span)  # 45.29千米
    if not m:
        raise ValueError(f"span {span!r} does not start with a numeral")
    run = m.group(0)
    return parse_number(run), span[m.end():]


def check_claim(rec, c, text, errors, warn):
    where = f"{rec['id']} span {c.get('span')!r}"
    keys = set(c)
    missing = CLAIM_KEYS - keys
    if missing:
        errors.append(f"{where}: missing {sorted(missing)}")
        return
    extra = keys - CLAIM_KEYS - CASE_KEYS
    if extra:
        errors.append(f"{where}: unknown fields {sorted(extra)}")
    span, nth = c["span"], c["nth"]
    if not isinstance(span, str) or not span:
        errors.append(f"{where}: empty span")
        return
    if not isinstance(nth, int) or isinstance(nth, bool) or nth < 0:
        errors.append(f"{where}: bad nth {nth!r}")
        return
    if not isinstance(c["value"], (int, float)) or isinstance(c["value"], bool):
        errors.append(f"{where}: value not a number")
        return
    for k in ("unit", "subject", "action"):
        if not isinstance(c[k], str):
            errors.append(f"{where}: {k} not a string")
    if not c["unit"]:
        errors.append(f"{where}: empty unit")
    if c["status"] not in STATUSES:
        errors.append(f"{where}: bad status {c['status']!r}")
    if not isinstance(c["approximate"], bool):
        errors.append(f"{where}: approximate not a bool")
    occ = occurrences(text, span)
    if len(occ) <= nth:
        errors.append(f"{where}: occurs {len(occ)} times, nth={nth}")
        return
    pos = occ[nth]
    is_case = c.get("kind") is not None
    if is_case:
        if c["kind"] != "case_adopted":
            errors.append(f"{where}: unknown kind {c['kind']!r}")
        if c.get("level") not in LEVELS:
            errors.append(f"{where}: bad level {c.get('level')!r}")
        if not isinstance(c.get("body"), str):
            errors.append(f"{where}: body not a string")
        if c["value"] < 1:
            errors.append(f"{where}: case_adopted value < 1")
        return
    if CASE_KEYS & keys:
        errors.append(f"{where}: level/body without kind")
    # the span must start at the first character of the numeral
    if pos > 0 and (text[pos - 1].isdigit() or text[pos - 1] == "."):
        errors.append(f"{where}: occurrence nth={nth} starts inside a number")
    try:
        value, rest = span_value(span)
    except ValueError as e:
        errors.append(f"{where}: {e}")
        return
    rest = re.sub(r"^\s*(?:[-~～—至到]\s*[%s]+)" % re.escape(NUM_CHARS), "", rest)  # range
    if abs(value - c["value"]) > 1e-6 * max(1, abs(value)):
        errors.append(f"{where}: value {c['value']} != numeral {value:g}")
    if c["unit"] not in rest:
        errors.append(f"{where}: unit {c['unit']!r} not written after the numeral ({rest!r})")
    elif not rest.strip().startswith(c["unit"]) and not rest.strip().startswith("余"):
        warn.append(f"{where}: unit {c['unit']!r} not right after the numeral")
    before = text[max(0, pos - 5):pos].rstrip()[-3:]  # "约 1000万元": a space may stand between
    after = text[pos + len(span):pos + len(span) + 3].lstrip()[:2]
    marked = (any(m in span for m in IN_SPAN) or any(before.endswith(m) for m in BEFORE)
              or any(after.startswith(m) for m in AFTER))
    if marked != c["approximate"]:
        errors.append(f"{where}: approximate={c['approximate']} but marker "
                      f"{'present' if marked else 'absent'} (…{before}[{span}]{after}…)")


def sentences(text):
    return {s.strip() for s in re.split(r"[。；！？\n]", text) if len(s.strip()) >= 12}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", default="/work/shared/seeds")
    ap.add_argument("--file", help="check one labelled file kept outside the repository (source 'real': "
                    "text of public pages, which is not ours to commit) instead of the set in FILES")
    args = ap.parse_args()
    errors, warn = [], []
    files = dict(FILES)
    if args.file:
        with open(args.file, encoding="utf-8") as f:
            first = json.loads(next(line for line in f if line.strip()))
        files = {name: spec for name, spec in files.items() if spec[0] == "heldout"}
        files[os.path.abspath(args.file)] = (first.get("split"), "real")
    ids = set()
    data = {}
    for fname, (split, source) in files.items():
        path = os.path.join(HERE, fname)
        recs = []
        with open(path, encoding="utf-8") as f:
            for ln, line in enumerate(f, 1):
                if not line.strip():
                    continue
                try:
                    recs.append(json.loads(line))
                except json.JSONDecodeError as e:
                    errors.append(f"{fname}:{ln}: bad JSON: {e}")
        data[fname] = recs
        for r in recs:
            for k in ("id", "split", "source", "text", "claims"):
                if k not in r:
                    errors.append(f"{fname}: record without {k}: {str(r)[:60]}")
            if set(r) - {"id", "split", "source", "text", "claims", "url"}:
                errors.append(f"{r.get('id')}: unknown record fields")
            if r.get("id") in ids:
                errors.append(f"duplicate id {r.get('id')}")
            ids.add(r.get("id"))
            if r.get("split") != split or r.get("source") != source:
                errors.append(f"{r.get('id')}: split/source {r.get('split')}/{r.get('source')} "
                              f"!= {split}/{source}")
            text = r.get("text", "")
            if not text or text != text.strip():
                errors.append(f"{r.get('id')}: empty or unstripped text")
            if source == "synthetic" and not 1 <= len(text.split("\n")) <= 12:
                errors.append(f"{r['id']}: {len(text.split(chr(10)))} paragraphs (1-12 wanted)")
            if source.startswith("seed") and "\n" in text:
                errors.append(f"{r['id']}: seed record spans several lines")
            seen = Counter()
            for c in r.get("claims", []):
                check_claim(r, c, text, errors, warn)
                seen[(c.get("span"), c.get("nth"), c.get("subject"))] += 1
            for key, n in seen.items():
                if n > 1:
                    errors.append(f"{r['id']}: claim {key} labelled {n} times")
    # seeds: one record per non-empty line, in order
    for fname, (split, source) in files.items():
        if source not in SEED_FILES:
            continue
        sp = os.path.join(args.seeds, SEED_FILES[source])
        if not os.path.exists(sp):
            warn.append(f"{sp} not found: seed lines not compared")
            continue
        lines = [l.strip() for l in open(sp, encoding="utf-8").read().split("\n")]
        lines = [l for l in lines if l]
        texts = [r.get("text") for r in data[fname]]
        if texts != lines:
            errors.append(f"{fname}: records are not the {len(lines)} non-empty seed lines")
    # synthetic dev passages share no sentence with any held-out file; only the dev record
    # id is printed, never the sentence, so that no held-out text leaks into the output
    held = set()
    for fname, (split, _) in files.items():
        if split == "heldout":
            held.update(*(sentences(r.get("text", "")) for r in data[fname]))
    for fname, (split, source) in files.items():
        if split != "heldout" and source in ("synthetic", "real"):
            for r in data[fname]:
                n = len(sentences(r.get("text", "")) & held)
                if n:
                    errors.append(f"{fname} {r.get('id')}: {n} sentence(s) also in a held-out file")

    # counts
    print(f"{'file':26} {'records':>7} {'w/claims':>8} {'claims':>6} {'done':>5} "
          f"{'planned':>7} {'approx':>6} {'case':>4}")
    tot = Counter()
    for fname, recs in data.items():
        cl = [c for r in recs for c in r.get("claims", [])]
        row = Counter(records=len(recs), with_claims=sum(1 for r in recs if r.get("claims")),
                      claims=len(cl), done=sum(c.get("status") == "done" for c in cl),
                      planned=sum(c.get("status") == "planned" for c in cl),
                      approx=sum(bool(c.get("approximate")) for c in cl),
                      case=sum(c.get("kind") == "case_adopted" for c in cl))
        tot.update(row)
        print(f"{fname:26} {row['records']:7} {row['with_claims']:8} {row['claims']:6} "
              f"{row['done']:5} {row['planned']:7} {row['approx']:6} {row['case']:4}")
    print(f"{'TOTAL':26} {tot['records']:7} {tot['with_claims']:8} {tot['claims']:6} "
          f"{tot['done']:5} {tot['planned']:7} {tot['approx']:6} {tot['case']:4}")
    for split in ("dev", "heldout"):
        n = sum(len(r.get("claims", [])) for f, (s, _) in files.items() if s == split
                for r in data[f])
        print(f"split {split}: {n} claims")
    syn = [sum(len(r["claims"]) for f, (s, src) in files.items() if src == "synthetic"
               and s == split for r in data[f]) for split in ("dev", "heldout")]
    print(f"synthetic: {sum(syn)} claims, dev share {syn[0] / max(1, sum(syn)):.0%}")
    units = Counter(c["unit"] for f, recs in data.items() if not args.file or files[f][1] == "real"
                    for r in recs for c in r["claims"])
    print("units:", ", ".join(f"{u} {n}" for u, n in units.most_common()))
    for w in warn:
        print("WARNING:", w)
    for e in errors:
        print("ERROR:", e)
    print("FAILED" if errors else "OK", f"({len(errors)} errors, {len(warn)} warnings)")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
