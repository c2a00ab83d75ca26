import pytest

from generator.schema import PValue, Value
from generator.values import format_p, format_value


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ({"value": 43, "unit": "%"}, "43%"),
        ({"value": 4.52, "unit": "L"}, "4.52 L"),
        ({"value": 2.72, "unit": "L/hr"}, "2.72 L/h"),
        ({"low": 5, "high": 90, "unit": "μg/m2/d"}, "5–90 µg/m²/day"),
        ({"value": 9, "unit": "mcg/day"}, "9 µg/day"),
        ({"value": 1.0e-4, "unit": "fraction", "qualifier": "at-least"}, "≥10⁻⁴"),
        ({"value": 15000, "unit": "/µL", "qualifier": "at-least"}, "≥15,000/µL"),
        ({"value": 98.5, "unit": "%", "qualifier": "up-to"}, "up to 98.5%"),
        ({"value": 80, "unit": "%", "count": 16, "of": 20}, "80% (16/20)"),
        ({"value": 7, "unit": "patients", "count": 7, "of": 10}, "7 of 10 patients"),
        ({"value": 1, "unit": "days", "qualifier": "at-most"}, "≤1 day"),
    ],
)
def test_figures_read_as_a_clinician_writes_them(value, shown):
    assert format_value(Value(**value)) == shown


def test_p_values():
    assert format_p(PValue(value=0.001, qualifier="less-than")) == "P < 0.001"
    assert format_p(PValue(value=0.04)) == "P = 0.04"
    # the precision the source printed: P=1.00, not P = 1
    assert format_p(PValue(value=1, decimals=2)) == "P = 1.00"
    assert format_value(Value(value=4.5, decimals=2, unit="L")) == "4.50 L"


@pytest.mark.parametrize(
    ("value", "error"),
    [
        ({"value": 43, "unit": "percentage"}, "unknown unit 'percentage'"),
        ({"value": 143, "unit": "%"}, "between 0 and 100"),
        ({"low": 9, "high": 5, "unit": "days"}, "low <= high"),
        ({"value": 1, "low": 1, "high": 2, "unit": "days"}, "either `value`"),
        ({"value": 50, "unit": "%", "count": 3}, "`count` and `of` together"),
    ],
)
def test_malformed_figures_are_refused(value, error):
    with pytest.raises(ValueError, match=error):
        Value(**value)
