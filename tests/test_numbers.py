"""Property tests for number parsing: every integer written the ways reports write it reads back."""

from __future__ import annotations

import cn2an
import pytest
from hypothesis import given, strategies as st

from extractors.numbers import parse_number


@given(st.integers(min_value=0, max_value=10**12))
def test_arabic_with_and_without_thousands_separators(n):
    assert parse_number(str(n)) == (n, False)
    assert parse_number(f"{n:,}") == (n, False)
    full = str(n).translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    assert parse_number(full) == (n, False)


@given(st.integers(min_value=1, max_value=99_999_999))
def test_chinese_numerals_round_trip(n):
    assert parse_number(cn2an.an2cn(n)) == (n, False)


@given(st.integers(min_value=1, max_value=9999), st.sampled_from(["余", "多"]))
def test_approximation_suffix_keeps_value_and_sets_flag(n, suffix):
    assert parse_number(f"{n}{suffix}") == (n, True)
    assert parse_number(f"{cn2an.an2cn(n)}{suffix}") == (n, True)


@given(st.integers(min_value=1, max_value=9999), st.integers(min_value=0, max_value=99))
def test_wan_with_decimals_and_mixed(whole, frac):
    assert parse_number(f"{whole}万") == (whole * 10_000, False)
    value, _ = parse_number(f"{whole}.{frac:02d}万")
    assert value == pytest.approx((whole + frac / 100) * 10_000)
    assert parse_number(f"{whole}万{frac}")[0] == whole * 10_000 + frac


@pytest.mark.parametrize(
    "text,value,approx",
    [("两", 2, False), ("二十五", 25, False), ("一百八十", 180, False), ("三千余", 3000, True), ("1.2万", 12000, False),
     ("3万4000", 34000, False), ("十几", 10, True), ("二十余", 20, True), ("上百", 100, True), ("数百", 100, True),
     ("10余万", 100000, True), ("两千零五", 2005, False), ("一〇五", 105, False)],
)
def test_examples(text, value, approx):
    assert parse_number(text) == (value, approx)
