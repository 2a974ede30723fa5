"""Offline data: the digits split, IDX files, seeded loaders."""

from __future__ import annotations

import gzip
import struct

import numpy as np
import pytest
import torch

from dlpapers import data


def test_digits_split_is_the_stratified_benchmark_split():
    split = data.digits()
    assert split.x_train.shape == (1347, 1, 8, 8)
    assert split.x_test.shape == (450, 1, 8, 8)
    assert split.image_shape == (1, 8, 8) and split.num_classes == 10
    assert split.x_train.dtype == torch.float32 and split.y_train.dtype == torch.int64
    assert 0.0 <= split.x_train.min() and split.x_train.max() <= 1.0
    # stratified: every class holds the same share of the test set as of the whole set
    test_counts = torch.bincount(split.y_test, minlength=10).float()
    all_counts = test_counts + torch.bincount(split.y_train, minlength=10)
    assert torch.all((test_counts - 0.25 * all_counts).abs() <= 1)


def test_digits_split_is_deterministic_and_disjoint():
    a, b = data.digits(), data.digits()
    assert torch.equal(a.x_test, b.x_test) and torch.equal(a.y_train, b.y_train)
    train_rows = {tuple(row.tolist()) for row in a.x_train.flatten(1)}
    overlap = sum(tuple(row.tolist()) in train_rows for row in a.x_test.flatten(1))
    assert overlap < 10  # a few digits are pixel-identical duplicates in the raw data


def test_digits_rejects_a_bad_test_size():
    with pytest.raises(ValueError, match="test_size"):
        data.digits(test_size=1.5)


def write_idx(path, array: np.ndarray, code: int = 0x08, compress: bool = False):
    header = bytes([0, 0, code, array.ndim]) + b"".join(struct.pack(">I", d) for d in array.shape)
    payload = header + array.astype(">u1" if code == 0x08 else ">i4").tobytes()
    opener = gzip.open if compress else open
    with opener(path, "wb") as f:
        f.write(payload)


@pytest.mark.parametrize("compress", [False, True])
def test_read_idx_reads_what_was_written(tmp_path, compress):
    images = np.arange(2 * 3 * 4, dtype=np.uint8).reshape(2, 3, 4)
    path = tmp_path / ("x.idx.gz" if compress else "x.idx")
    write_idx(path, images, compress=compress)
    np.testing.assert_array_equal(data.read_idx(path), images)


def test_read_idx_rejects_other_files_and_truncation(tmp_path):
    bogus = tmp_path / "bogus"
    bogus.write_bytes(b"PK\x03\x04 not an idx file")
    with pytest.raises(ValueError, match="not an IDX file"):
        data.read_idx(bogus)
    short = tmp_path / "short"
    short.write_bytes(bytes([0, 0, 8, 1]) + struct.pack(">I", 10) + b"\x00" * 3)
    with pytest.raises(ValueError, match="truncated"):
        data.read_idx(short)
    with pytest.raises(FileNotFoundError, match="MNIST"):
        data.read_idx(tmp_path / "missing")


def test_mnist_reads_the_four_idx_files(tmp_path):
    rng = np.random.default_rng(0)
    for prefix, n in (("train", 6), ("t10k", 4)):
        write_idx(tmp_path / f"{prefix}-images-idx3-ubyte", rng.integers(0, 256, (n, 28, 28)))
        write_idx(tmp_path / f"{prefix}-labels-idx1-ubyte.gz", rng.integers(0, 10, n),
                  compress=True)
    split = data.mnist(tmp_path)
    assert split.x_train.shape == (6, 1, 28, 28) and split.x_test.shape == (4, 1, 28, 28)
    assert split.x_train.max() <= 1.0 and split.y_test.dtype == torch.int64


def test_mnist_says_where_it_looked(tmp_path):
    with pytest.raises(FileNotFoundError, match="train-images-idx3-ubyte"):
        data.mnist(tmp_path)


def test_loader_shuffles_the_same_way_for_the_same_seed():
    x = torch.arange(20).float()
    first = [b[0].tolist() for b in data.loader(x, batch_size=5, shuffle=True, seed=1)]
    again = [b[0].tolist() for b in data.loader(x, batch_size=5, shuffle=True, seed=1)]
    other = [b[0].tolist() for b in data.loader(x, batch_size=5, shuffle=True, seed=2)]
    assert first == again and first != other


def test_inverted_sinusoid_matches_its_definition():
    t, x = data.inverted_sinusoid(2000, seed=4)
    assert t.shape == x.shape == (2000, 1) and t.dtype == x.dtype == torch.float32
    assert 0 <= x.min() and x.max() <= 1
    residual = t.double() - x.double() - 0.3 * torch.sin(2 * torch.pi * x.double())
    assert residual.abs().max() <= 0.1 + 1e-6
    assert residual.abs().max() > 0.09  # the noise fills its whole interval
    # recompute t from the same seed's draws: the generator is exactly the documented formula
    g = torch.Generator().manual_seed(4)
    x_again = torch.rand(2000, 1, generator=g, dtype=torch.float64)
    noise = torch.rand(2000, 1, generator=g, dtype=torch.float64) * 0.2 - 0.1
    expected = x_again + 0.3 * torch.sin(2 * torch.pi * x_again) + noise
    torch.testing.assert_close(t, expected.float())


def test_inverted_sinusoid_is_seeded_and_validates_n():
    first, again, other = (data.inverted_sinusoid(10, seed=s)[0] for s in (1, 1, 2))
    assert torch.equal(first, again) and not torch.equal(first, other)
    for bad in (0, -3, 2.5, True):
        with pytest.raises(ValueError, match="positive int"):
            data.inverted_sinusoid(bad)


def test_digits_validation_part_comes_out_of_training_and_leaves_test_alone():
    plain = data.digits()
    split = data.digits(validation_size=0.2)
    assert (len(split.x_train), len(split.x_val), len(split.x_test)) == (1077, 270, 450)
    assert torch.equal(split.x_test, plain.x_test)
    assert split.y_val.bincount().min() >= 26  # stratified: every class in the validation part
    assert len(plain.x_val) == 0 and plain.y_val.dtype == torch.int64


def test_digits_rejects_a_validation_size_outside_0_1():
    with pytest.raises(ValueError, match="validation_size"):
        data.digits(validation_size=1.0)
