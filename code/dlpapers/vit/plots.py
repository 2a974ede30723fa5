"""The ViT's figures: each function takes tensors or a finished run and returns a Figure.

No training happens here; ``fig.savefig(...)`` writes a figure, a notebook just displays it.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import torch
from matplotlib.figure import Figure

from dlpapers.vit.model import ViT


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
                    va="center", color="tab:red", fontsize=9, fontweight="bold",
                    bbox=dict(boxstyle="round,pad=0.1", fc="white", ec="none", alpha=0.8))
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
    """Training loss and validation accuracy per epoch, from a :class:`~dlpapers.train.History`.

    The test set is not in the history: it is scored once, after training.
    """
    epochs = history["epoch"]
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 3.4), layout="constrained")
    left.plot(epochs, history["loss"], color="tab:blue")
    left.set(title="Training loss (label-smoothed cross-entropy)", xlabel="epoch", ylabel="loss")
    accuracy = history["val_accuracy"]
    right.plot(epochs, accuracy, color="tab:green")
    right.axhline(max(accuracy), color="gray", ls=":", lw=1)
    right.set(title=f"Validation accuracy (final {accuracy[-1]:.3f})", xlabel="epoch",
              ylabel="accuracy", ylim=(max(0.0, min(accuracy) - 0.02), 1.0))
    return fig


def _numbered(ax, values, title: str) -> None:
    """Show a 2-D integer tensor as coloured cells, each with its number written in it."""
    low, high = float(values.min()), float(values.max())
    ax.imshow(values.numpy(), cmap="viridis", vmin=low, vmax=high)
    for (i, j), v in np.ndenumerate(values.numpy()):
        ax.text(j, i, str(int(v)), ha="center", va="center", fontsize=8,
                color="black" if v > (low + high) / 2 else "white")
    ax.set(xticks=[], yticks=[])
    ax.set_title(title, fontsize=9)


def pipeline(image: torch.Tensor, model: ViT) -> Figure:
    """One image through a :class:`~dlpapers.vit.ViT`, with the tensor shape after each step.

    Left: the image cut into patches, numbered in token order. Middle: the patch tokens as the
    rows of a matrix (one row a token, one column a pixel of the patch, ``(p1 p2 c)``). Right:
    the steps to the logits, each with the shape measured by running ``model`` on the image.

    Args:
        image: ``(c, h, w)``, one image of the size ``model.config`` expects.
        model: A :class:`~dlpapers.vit.ViT` (trained or not: only the shapes are shown).
    """
    c = model.config
    x = image.unsqueeze(0)
    with torch.no_grad():
        tokens = model.to_patch_embedding[0](x)
        embedded = model.to_patch_embedding(x)
        z = model.embed(x)
        encoded = model.forward_features(x)
        pooled = encoded[:, 0] if c.pool == "cls" else encoded.mean(dim=1)
        logits = model.forward_head(encoded)
    steps = [
        ("input image", "b c h w", x),
        ("cut into patches", "b c (h p1) (w p2) -> b (h w) (p1 p2 c)", tokens),
        (f"patch embedding E: Linear {tokens.shape[-1]} -> {c.dim}", "b n (p1 p2 c) -> b n d",
         embedded),
        ("class token + position embedding (eq. 1)", "cat, then + E_pos", z),
        (f"{c.depth} encoder blocks (eqs. 2-3), final LayerNorm", "b n d -> b n d", encoded),
        ("class token z[:, 0]" if c.pool == "cls" else "mean over tokens", "b n d -> b d",
         pooled),
        (f"head: Linear {c.dim} -> {c.num_classes}", "b d -> b classes (logits)", logits),
    ]
    p, grid = c.patch_size, c.image_size // c.patch_size
    fig = plt.figure(figsize=(11, 4.6), layout="constrained")
    left, middle, right = fig.subplots(1, 3, width_ratios=[1, 0.55, 1.9])
    left.imshow(image.permute(1, 2, 0).squeeze(-1).numpy(), cmap="gray_r")
    for k in range(1, grid):
        left.axhline(k * p - 0.5, color="tab:red", lw=1.5)
        left.axvline(k * p - 0.5, color="tab:red", lw=1.5)
    for i in range(grid):
        for j in range(grid):
            left.text(j * p + p / 2 - 0.5, i * p + p / 2 - 0.5, str(i * grid + j), ha="center",
                      va="center", color="tab:red", fontsize=10, fontweight="bold",
                      bbox=dict(boxstyle="round,pad=0.1", fc="white", ec="none", alpha=0.8))
    left.set(xticks=[], yticks=[])
    left.set_title(f"1. image {tuple(x.shape)}, {p}x{p} patches", fontsize=9)
    middle.imshow(tokens[0].numpy(), cmap="gray_r", aspect="auto")
    middle.set(xticks=[], yticks=range(tokens.shape[1]), ylabel="token")
    middle.tick_params(axis="y", labelsize=7)
    middle.set_title(f"2. tokens {tuple(tokens.shape)}", fontsize=9)
    right.set_axis_off()
    right.set(xlim=(0, 1), ylim=(len(steps) - 0.5, -0.5))
    box = dict(boxstyle="round,pad=0.35", fc="none", ec=plt.rcParams["axes.edgecolor"], lw=1)
    for n, (what, pattern, tensor) in enumerate(steps):
        right.text(0.0, n, f"{n + 1}. {what}\n    {pattern}", va="center", fontsize=8.5,
                   family="monospace", bbox=box)
        right.text(1.0, n, str(tuple(tensor.shape)), va="center", ha="right", fontsize=10,
                   fontweight="bold", color="tab:blue")
        if n:
            right.annotate("", xy=(0.04, n - 0.3), xytext=(0.04, n - 0.7),
                           arrowprops=dict(arrowstyle="->", color=plt.rcParams["text.color"]))
    fig.suptitle("ViT, shape by shape (b = 1 image)")
    return fig


OFFICE_HOUR_PATTERN = "b c (num_w p1) (num_h p2) -> b (num_w num_h) (p1 p2 c)"
OUR_PATTERN = "b c (h p1) (w p2) -> b (h w) (p1 p2 c)"


def pattern_names(x: torch.Tensor | None = None, patch_size: int = 2) -> Figure:
    """The office hour's ``Rearrange`` pattern beside ours on a non-square tensor.

    Both patterns give the same tokens (einops matches axes by position, not by name). Folding
    the tokens back into a picture with the names taken at their word, ``num_h`` rows of
    ``num_w`` patches, lays the patches out transposed: ``num_w`` counts patch *rows*.

    Args:
        x: ``(1, 1, h, w)`` with ``h != w``; default ``torch.arange(24).view(1, 1, 4, 6)``.
        patch_size: Side of a square patch; must divide ``h`` and ``w``.
    """
    from einops import rearrange

    x = torch.arange(24).view(1, 1, 4, 6) if x is None else x
    if x.ndim != 4 or x.shape[:2] != (1, 1) or x.shape[2] % patch_size or x.shape[3] % patch_size:
        raise ValueError(f"x must be (1, 1, h, w) with patch_size {patch_size} dividing h and w, "
                         f"got {tuple(x.shape)}")
    p = patch_size
    ours = rearrange(x, OUR_PATTERN, p1=p, p2=p)
    office = rearrange(x, OFFICE_HOUR_PATTERN, p1=p, p2=p)
    back_ours = rearrange(ours, "b (h w) (p1 p2 c) -> b c (h p1) (w p2)", h=x.shape[2] // p,
                          p1=p, p2=p)
    # the names at their word: num_h patches down, num_w across (einops set num_w = h // p)
    back_names = rearrange(office, "b (num_w num_h) (p1 p2 c) -> b c (num_h p1) (num_w p2)",
                           num_w=x.shape[2] // p, p1=p, p2=p)
    fig, axes = plt.subplots(1, 4, figsize=(12, 3.8), layout="constrained",
                             width_ratios=[x.shape[3], 4.5, x.shape[3], x.shape[2]])
    _numbered(axes[0], x[0, 0], f"x {tuple(x.shape)}")
    _numbered(axes[1], ours[0], f"tokens {tuple(ours.shape)}\nequal for both\npatterns: "
              f"{torch.equal(ours, office)}")
    axes[1].set(yticks=range(ours.shape[1]), ylabel="token")
    _numbered(axes[2], back_ours[0, 0], "ours folded back:\n... -> b c (h p1) (w p2)\n"
              f"{tuple(back_ours.shape)}: the input again")
    _numbered(axes[3], back_names[0, 0], "names taken at their word:\n"
              f"... -> b c (num_h p1) (num_w p2)\n{tuple(back_names.shape)}: transposed grid")
    for ax, image in ((axes[0], x), (axes[2], back_ours), (axes[3], back_names)):
        for k in range(1, image.shape[2] // p):
            ax.axhline(k * p - 0.5, color="tab:red", lw=2)
        for k in range(1, image.shape[3] // p):
            ax.axvline(k * p - 0.5, color="tab:red", lw=2)
    fig.suptitle(f"office hour: {OFFICE_HOUR_PATTERN}\nours:        {OUR_PATTERN}",
                 fontsize=10, family="monospace")
    return fig
