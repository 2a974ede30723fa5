"""Offline data sets for the three assignments.

Nothing here downloads anything. The image assignments (ViT, AAE) use scikit-learn's bundled
8x8 handwritten digits (1,797 images, 10 classes, pixel values 0..16), or MNIST when you
already have its IDX files on disk. The MDN assignment uses Bishop's inverted sinusoid,
generated on the fly.

Every function takes a seed (or a fixed ``random_state``) and returns float32 tensors, so the same
call gives the same numbers on every machine.
"""

from __future__ import annotations

import gzip
import math
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import torch
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from torch.utils.data import DataLoader, TensorDataset


@dataclass(frozen=True)
class Split:
    """A train/(validation/)test split of images and labels.

    Every choice (a hyperparameter, an epoch count, whether to augment) is made on the validation
    part; the test part gives only the final number.

    Attributes:
        x_train: Images, ``(n_train, c, h, w)``, float32 in ``[0, 1]``.
        y_train: Class labels, ``(n_train,)``, int64.
        x_test: Images, ``(n_test, c, h, w)``.
        y_test: Class labels, ``(n_test,)``.
        x_val: Validation images, ``(n_val, c, h, w)``, held out of the training images (empty
            when no validation part was asked for).
        y_val: Validation labels, ``(n_val,)``.
    """

    x_train: torch.Tensor
    y_train: torch.Tensor
    x_test: torch.Tensor
    y_test: torch.Tensor
    x_val: torch.Tensor = field(default_factory=lambda: torch.empty(0))
    y_val: torch.Tensor = field(default_factory=lambda: torch.empty(0, dtype=torch.int64))

    @property
    def image_shape(self) -> tuple[int, int, int]:
        """``(c, h, w)`` of one image."""
        return tuple(self.x_train.shape[1:])

    @property
    def num_classes(self) -> int:
        """Number of distinct labels in the training set."""
        return int(self.y_train.max()) + 1


def digits(test_size: float = 0.25, random_state: int = 0, validation_size: float = 0.0) -> Split:
    """scikit-learn's 8x8 digits as a stratified train/(validation/)test split.

    The test split is ``train_test_split(test_size=0.25, random_state=0, stratify=y)``, the one
    every benchmark on this site uses; pixel values are divided by 16 so they lie in ``[0, 1]``.
    With ``validation_size > 0``, that fraction of the *training* images is held out again
    (stratified, same ``random_state``) as the validation part; the test images stay the same.

    Args:
        test_size: Fraction of the 1,797 images held out for testing.
        random_state: Seed of the split.
        validation_size: Fraction of the training images held out for validation (0: none).

    Returns:
        A :class:`Split` with images of shape ``(n, 1, 8, 8)``: 1,347 for training and 450 for
        testing with the defaults; with ``validation_size=0.2``, 1,077 train / 270 validation /
        450 test.
    """
    if not 0.0 < test_size < 1.0:
        raise ValueError(f"test_size must lie strictly between 0 and 1, got {test_size}")
    if not 0.0 <= validation_size < 1.0:
        raise ValueError(f"validation_size must lie in [0, 1), got {validation_size}")
    bunch = load_digits()
    x = bunch.images.astype(np.float32) / 16.0
    y = bunch.target.astype(np.int64)
    x_train, x_test, y_train, y_test = train_test_split(
        x, y, test_size=test_size, random_state=random_state, stratify=y
    )
    x_val, y_val = x_train[:0], y_train[:0]
    if validation_size > 0.0:
        x_train, x_val, y_train, y_val = train_test_split(
            x_train, y_train, test_size=validation_size, random_state=random_state, stratify=y_train
        )
    return Split(
        x_train=torch.from_numpy(x_train).unsqueeze(1),
        y_train=torch.from_numpy(y_train),
        x_test=torch.from_numpy(x_test).unsqueeze(1),
        y_test=torch.from_numpy(y_test),
        x_val=torch.from_numpy(x_val).unsqueeze(1),
        y_val=torch.from_numpy(y_val),
    )


def read_idx(path: str | Path) -> np.ndarray:
    """Read one IDX file (the format MNIST ships in), gzipped or not.

    Args:
        path: Path to e.g. ``train-images-idx3-ubyte`` or ``train-images-idx3-ubyte.gz``.

    Returns:
        The array stored in the file, with the dtype and shape its header declares.

    Raises:
        FileNotFoundError: If the file does not exist.
        ValueError: If the file is not an IDX file.
    """
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"no IDX file at {path}: point `root` at your MNIST folder")
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rb") as f:
        raw = f.read()
    dtypes = {0x08: np.uint8, 0x09: np.int8, 0x0B: ">i2", 0x0C: ">i4", 0x0D: ">f4", 0x0E: ">f8"}
    if len(raw) < 4 or raw[0] != 0 or raw[1] != 0 or raw[2] not in dtypes:
        raise ValueError(f"{path} is not an IDX file (bad magic number {raw[:4]!r})")
    ndim = raw[3]
    shape = tuple(int.from_bytes(raw[4 + 4 * i : 8 + 4 * i], "big") for i in range(ndim))
    data = np.frombuffer(raw, dtype=dtypes[raw[2]], offset=4 + 4 * ndim)
    if data.size != math.prod(shape):
        raise ValueError(f"{path} is truncated: header says {shape}, found {data.size} values")
    return data.reshape(shape)


def mnist(root: str | Path) -> Split:
    """MNIST from the four IDX files you already have (nothing is downloaded).

    Args:
        root: Folder holding ``train-images-idx3-ubyte``, ``train-labels-idx1-ubyte``,
            ``t10k-images-idx3-ubyte`` and ``t10k-labels-idx1-ubyte`` (each may end in ``.gz``).

    Returns:
        A :class:`Split` with images of shape ``(n, 1, 28, 28)`` in ``[0, 1]``: the official
        60,000 / 10,000 split.
    """
    root = Path(root)

    def find(stem: str) -> Path:
        for name in (stem, stem + ".gz"):
            if (root / name).exists():
                return root / name
        raise FileNotFoundError(f"{stem}[.gz] not found in {root}: download MNIST there yourself")

    parts = {}
    for split, prefix in (("train", "train"), ("test", "t10k")):
        images = read_idx(find(f"{prefix}-images-idx3-ubyte")).astype(np.float32) / 255.0
        labels = read_idx(find(f"{prefix}-labels-idx1-ubyte")).astype(np.int64)
        parts[split] = (torch.from_numpy(images).unsqueeze(1), torch.from_numpy(labels))
    return Split(*parts["train"], *parts["test"])


def loader(*tensors: torch.Tensor, batch_size: int, shuffle: bool, seed: int = 0) -> DataLoader:
    """A seeded :class:`~torch.utils.data.DataLoader` over tensors of equal length.

    Args:
        *tensors: Tensors sharing their first dimension.
        batch_size: Minibatch size.
        shuffle: Reshuffle every epoch (with a generator seeded by ``seed``).
        seed: Seed of the shuffling generator, so that two runs see the same batches.
    """
    generator = torch.Generator().manual_seed(seed)
    return DataLoader(
        TensorDataset(*tensors), batch_size=batch_size, shuffle=shuffle, generator=generator
    )


def inverted_sinusoid(n: int, seed: int = 0) -> tuple[torch.Tensor, torch.Tensor]:
    """Bishop's inverse problem (1994, section 2): one input, several plausible answers.

    The forward problem is easy: draw ``x ~ U(0, 1)`` and set
    ``t = x + 0.3 sin(2 pi x) + eps`` with noise ``eps ~ U(-0.1, 0.1)``: ``t`` is a function of
    ``x`` plus noise. Swapping the roles gives the inverse problem, predicting ``x`` from ``t``: for
    ``t`` near 0.5 up to three branches of ``x`` fit, so ``p(x | t)`` is multimodal and a
    least-squares fit returns the mean of the branches, which is none of them.

    Args:
        n: Number of points.
        seed: Seed of the generator, so the same call gives the same points.

    Returns:
        ``(t, x)``: the input ``t`` and the target ``x``, float32 tensors of shape ``(n, 1)`` each.
    """
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise ValueError(f"n must be a positive int (the number of points), got {n!r}")
    generator = torch.Generator().manual_seed(seed)
    x = torch.rand(n, 1, generator=generator, dtype=torch.float64)
    noise = torch.rand(n, 1, generator=generator, dtype=torch.float64) * 0.2 - 0.1
    t = x + 0.3 * torch.sin(2 * math.pi * x) + noise
    return t.float(), x.float()
