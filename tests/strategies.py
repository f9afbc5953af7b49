"""Hypothesis strategies shared by the test modules."""

from __future__ import annotations

from hypothesis import strategies as st

from budapest_coop.preservation import AUTHORITY_FIELDS, ITEM_FIELDS, REQUEST_FIELDS

# Anything a trainee might type into a notebook cell.
junk = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30)
    | st.datetimes() | st.dates(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=10), inner, max_size=3),
    max_leaves=8,
)

data_item = st.fixed_dictionaries({}, optional={name: junk for name in ITEM_FIELDS})
authority = st.fixed_dictionaries({}, optional={name: junk for name in AUTHORITY_FIELDS})

# Dicts with the right field names and any values, plus stray keys.
request_dicts = st.fixed_dictionaries(
    {},
    optional={
        **{name: junk for name in REQUEST_FIELDS},
        "requesting_authority": authority | junk,
        "data_items": st.lists(data_item | junk, max_size=3) | junk,
        "typo_field": junk,
    },
)
