from parcel import wrap


def test_wrap():
    assert wrap(1) == [1]
