"""The ViT's figures: each function takes tensors or a finished run and returns a Figure.

No training happens here; ``fig.savefig(...)`` writes a figure, a notebook just displays it.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import torch
from matplotlib.figure import Figure


def patches(image: torch.Tensor, patch_size: int) -> Figure:
    """An image cut into its patches, numbered in the order the tokens get them (row-major).

    Left: the image with the patch grid and each patch's token index. Right: the tokens as the
    Transformer receives them, ``c (h p1) (w p2) -> (h w) p1 p2 c``, one small image per token.

    Args:
        image: ``(c, h, w)``, one image.
        patch_size: Side of a square patch; must divide ``h`` and ``w``.
    """
    from einops import rearrange

    c, h, w = image.shape
    p = patch_size
    rows, cols = h // p, w // p
    tokens = rearrange(image, "c (h p1) (w p2) -> (h w) p1 p2 c", p1=p, p2=p)
    show = dict(cmap="gray_r", vmin=0, vmax=float(image.max())) if c == 1 else {}
    pixels = image.permute(1, 2, 0).squeeze(-1).numpy()
    fig = plt.figure(figsize=(10, 4), layout="constrained")
    left, right = fig.subfigures(1, 2, width_ratios=[1, 1.6])
    ax = left.subplots()
    ax.imshow(pixels, **show)
    for k in range(1, rows):
        ax.axhline(k * p - 0.5, color="tab:red", lw=1.5)
    for k in range(1, cols):
        ax.axvline(k * p - 0.5, color="tab:red", lw=1.5)
    for i in range(rows):
        for j in range(cols):
            ax.text(j * p + p / 2 - 0.5, i * p + p / 2 - 0.5, str(i * cols + j), ha="center",
                    va="center", color="tab:red", fontsize=9, fontweight="bold")
    ax.set(title=f"{h}x{w} image, {p}x{p} patches", xticks=[], yticks=[])
    grid = right.subplots(rows, cols, squeeze=False)
    for n, axis in enumerate(grid.flat):
        axis.imshow(tokens[n].squeeze(-1).numpy(), **show)
        axis.set(xticks=[], yticks=[])
        axis.set_title(f"token {n}", fontsize=7)
    right.suptitle("tokens in sequence order: b c (h p1) (w p2) -> b (h w) (p1 p2 c)", fontsize=9)
    return fig


def position_similarity(pos_embedding: torch.Tensor, grid: int) -> Figure:
    """Cosine similarity of each patch's position embedding to all others (ViT paper, Fig. 7).

    Panel ``(i, j)`` belongs to the patch in row ``i``, column ``j``; its pixels show how similar
    that patch's embedding is to every other patch's. Learned embeddings that "know" the 2-D
    layout light up near their own position, and along their own row and column.

    Args:
        pos_embedding: ``(grid * grid, d)``, the patch positions only (without the class token).
        grid: Patches per side.
    """
    if pos_embedding.shape[0] != grid * grid:
        raise ValueError(
            f"expected {grid * grid} patch positions, got {pos_embedding.shape[0]}: "
            "drop the class token's row (pos_embedding[0, 1:]) first"
        )
    e = torch.nn.functional.normalize(pos_embedding.detach().float(), dim=-1)
    similarity = (e @ e.T).view(grid, grid, grid, grid)
    fig, axes = plt.subplots(grid, grid, figsize=(1.3 * grid + 1, 1.3 * grid),
                             layout="constrained", squeeze=False)
    for i in range(grid):
        for j in range(grid):
            image = axes[i, j].imshow(similarity[i, j].numpy(), cmap="viridis", vmin=-1, vmax=1)
            axes[i, j].set(xticks=[], yticks=[])
    fig.colorbar(image, ax=axes, shrink=0.6, label="cosine similarity")
    fig.suptitle("Position embedding similarity (panel = one patch)")
    return fig


def attention(images: torch.Tensor, maps: torch.Tensor, rollout: torch.Tensor,
                  patch_size: int) -> Figure:
    """Where the class token looks: per layer (heads averaged) and the attention rollout.

    One row per image: the image, then the class token's attention to each patch in layers
    1..depth (row 0 of each map, heads averaged, patch tokens only), then the rollout.

    Args:
        images: ``(k, c, h, w)``.
        maps: ``(depth, k, heads, n, n)`` from :meth:`dlpapers.vit.ViT.attention_maps` of a
            model with ``pool="cls"`` (token 0 is the class token).
        rollout: ``(k, n, n)`` from :func:`dlpapers.vit.attention_rollout`.
        patch_size: The model's patch size (to fold the tokens back into a grid).
    """
    depth, k = maps.shape[:2]
    grid = images.shape[-1] // patch_size
    if maps.shape[-1] != grid * grid + 1:
        raise ValueError("maps must come from a model with pool='cls' (a class token first)")
    cls = maps.mean(dim=2)[:, :, 0, 1:].reshape(depth, k, grid, grid)
    rolled = rollout[:, 0, 1:].reshape(k, grid, grid)
    fig, axes = plt.subplots(k, depth + 2, figsize=(1.5 * (depth + 2), 1.5 * k),
                             layout="constrained", squeeze=False)
    for row in range(k):
        axes[row, 0].imshow(images[row].permute(1, 2, 0).squeeze(-1).numpy(), cmap="gray_r")
        for layer in range(depth):
            axes[row, layer + 1].imshow(cls[layer, row].numpy(), cmap="magma")
        axes[row, -1].imshow(rolled[row].numpy(), cmap="magma")
    for col, title in enumerate(["image", *[f"layer {i + 1}" for i in range(depth)], "rollout"]):
        axes[0, col].set_title(title, fontsize=9)
    for axis in axes.flat:
        axis.set(xticks=[], yticks=[])
    fig.suptitle("Class-token attention to each patch (brighter = more)")
    return fig


def confusion_matrix(targets: torch.Tensor, predictions: torch.Tensor,
                     num_classes: int | None = None, title: str = "Confusion matrix") -> Figure:
    """Counts of (true class, predicted class); the diagonal holds the correct predictions.

    Args:
        targets: ``(n,)`` true class indices.
        predictions: ``(n,)`` predicted class indices.
        num_classes: Number of classes (default: the largest index + 1).
    """
    k = num_classes or int(max(targets.max(), predictions.max())) + 1
    counts = torch.zeros(k, k, dtype=torch.long)
    counts.index_put_((targets.long(), predictions.long()), torch.ones_like(targets.long()),
                      accumulate=True)
    fig, ax = plt.subplots(figsize=(5, 4.4), layout="constrained")
    ax.imshow(counts.numpy(), cmap="Blues")
    for i in range(k):
        for j in range(k):
            if counts[i, j]:
                ax.text(j, i, str(int(counts[i, j])), ha="center", va="center", fontsize=8,
                        color="white" if counts[i, j] > counts.max() / 2 else "black")
    accuracy = counts.diag().sum().item() / max(1, counts.sum().item())
    ax.set(title=f"{title} (accuracy {accuracy:.3f})", xlabel="predicted", ylabel="true",
           xticks=range(k), yticks=range(k))
    return fig


def training(history) -> Figure:
    """Training loss and test accuracy per epoch, from a :class:`~dlpapers.train.History`."""
    epochs = history["epoch"]
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 3.4), layout="constrained")
    left.plot(epochs, history["loss"], color="tab:blue")
    left.set(title="Training loss (label-smoothed cross-entropy)", xlabel="epoch", ylabel="loss")
    accuracy = history["test_accuracy"]
    right.plot(epochs, accuracy, color="tab:green")
    right.axhline(max(accuracy), color="gray", ls=":", lw=1)
    right.set(title=f"Test accuracy (final {accuracy[-1]:.3f})", xlabel="epoch",
              ylabel="accuracy", ylim=(max(0.0, min(accuracy) - 0.02), 1.0))
    return fig
