import pytest

from talentgap.seeds.korean_numbers import numbers_in, states_number

CASES = [
    ("2031년까지 15만명+α", 150000),
    ("1.6만 명 배터리 인력", 16000),
    ("12만 7,434명 증가", 127434),
    ("석·박사급 2만3000명", 23000),
    ("약 4천 명의 석·박사", 4000),
    ("1,500명의 인원", 1500),
    ("1.000명 (’20년까지)", 1000),
    ("(연간 1,1만 명, ’30년까지)", 11000),
    ("2,228억원 투입", 222_800_000_000),
    ("부족률 4.4%", 4.4),
    ("1만 9천 명", 19000),
    ("총 81,086명", 81086),
]


@pytest.mark.parametrize("text,value", CASES, ids=[c[0] for c in CASES])
def test_states_number_reads_korean_forms(text, value):
    assert states_number(text, value)


@pytest.mark.parametrize("text,value", [("15만명", 1500), ("1.6만 명", 1600), ("4.4%", 44), ("12만 7,434명", 127000 + 7)])
def test_states_number_rejects_other_values(text, value):
    assert not states_number(text, value)


def test_numbers_in_finds_every_number():
    assert {2021.0, 1500.0, 2023.0, 3500.0, 2000.0} <= numbers_in("2021년 1,500명에서 2023년 3,500명 (2년간 2,000명 채용)")
