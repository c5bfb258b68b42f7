"""Extraction speed against bare jieba, measured in one run (issue 4's goal: ≤ 2 ×; load < 2 s).

Usage: .venv/bin/python bench/bench_extract.py [--repeat N]
The corpus is every block of every file in samples/ plus seeds 001 and 004, repeated N times.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def load_seconds() -> float:
    """Pipeline load time in a fresh process (imports included), as a user would see it."""
    code = ("import time; t=time.perf_counter(); from extractors.pipeline import get_nlp; get_nlp(); "
            "print(time.perf_counter()-t)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    return float(out.stdout.strip())


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=20)
    args = ap.parse_args()
    sys.path.insert(0, str(ROOT))
    from extractors.pipeline import extract_claims, get_nlp
    from extractors.readers import read_document
    from reportscore.model import Block, Document
    import jieba

    files = sorted(p for p in (ROOT / "samples").iterdir() if p.suffix in (".docx", ".pdf"))
    files += sorted((ROOT.parent / "shared" / "seeds").glob("00[14]_*.txt"))
    docs = [read_document(p) for p in files]
    texts = [b.text for d in docs for b in d.blocks]
    corpus_docs = []
    for i in range(args.repeat):  # distinct sha per copy: nothing is cached between copies
        for d in docs:
            corpus_docs.append(Document(source=d.source, sha256=f"{i:04d}{d.sha256[4:]}", blocks=d.blocks))
    chars = sum(len(t) for t in texts) * args.repeat
    t_load = load_seconds()
    get_nlp()
    t0 = time.perf_counter()
    for _ in range(args.repeat):
        for t in texts:
            jieba.lcut(t)
    t_jieba = time.perf_counter() - t0
    t0 = time.perf_counter()
    n = 0
    for d in corpus_docs:
        n += len(extract_claims(d))
    t_ours = time.perf_counter() - t0
    print(f"corpus: {len(corpus_docs)} documents, {chars:,} characters, {n} claims")
    print(f"pipeline load (fresh process, imports included): {t_load:.2f} s")
    print(f"bare jieba.lcut: {t_jieba:.2f} s ({chars / t_jieba:,.0f} chars/s)")
    print(f"extract_claims:  {t_ours:.2f} s ({chars / t_ours:,.0f} chars/s)")
    print(f"ratio extract / jieba: {t_ours / t_jieba:.2f} (goal ≤ 2.0)")


if __name__ == "__main__":
    main()
