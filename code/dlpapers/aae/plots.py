"""The AAE's figures: each function takes tensors or a finished run and returns a Figure.

No training happens here; ``fig.savefig(...)`` writes a figure, a notebook just displays it.
"""

from __future__ import annotations

from collections.abc import Callable

import matplotlib.pyplot as plt
import numpy as np
import torch
from matplotlib.figure import Figure


def latent_codes(
    codes: dict[str, torch.Tensor],
    labels: torch.Tensor,
    prior_samples: torch.Tensor,
    limit: float | None = None,
) -> Figure:
    """2-D codes of held-out digits coloured by label, one panel per model, beside the prior.

    All panels share the same axes, so a plain autoencoder's arbitrary scale shows at a glance.

    Args:
        codes: Title -> ``(n, 2)`` codes, e.g. ``{"autoencoder": ..., "AAE": ...}``.
        labels: ``(n,)`` digit labels (only for the colours).
        prior_samples: ``(m, 2)`` draws of the prior.
        limit: Half-width of the shared axes; by default it covers every panel.
    """
    panels = {**codes, "prior samples": prior_samples}
    if limit is None:
        limit = 1.05 * max(float(z.abs().max()) for z in panels.values())
    fig, axes = plt.subplots(1, len(panels), figsize=(4 * len(panels), 4.2), layout="constrained",
                             squeeze=False)
    for ax, (title, z) in zip(axes[0], panels.items(), strict=True):
        z = z.detach().cpu().numpy()
        if title == "prior samples":
            ax.scatter(z[:, 0], z[:, 1], s=3, color="gray", alpha=0.5)
        else:
            points = ax.scatter(z[:, 0], z[:, 1], c=labels.cpu().numpy(), cmap="tab10", s=6,
                                vmin=-0.5, vmax=9.5)
        ax.set(title=title, xlim=(-limit, limit), ylim=(-limit, limit), aspect="equal",
               xlabel="$z_1$", ylabel="$z_2$")
    fig.colorbar(points, ax=axes[0], ticks=range(10), label="digit", shrink=0.8)
    return fig


def image_grid(images: torch.Tensor, title: str = "", rows: int | None = None) -> Figure:
    """Show ``(n, 1, h, w)`` images as one grayscale mosaic of ``rows`` rows."""
    from einops import rearrange

    n = images.shape[0]
    rows = rows or int(np.ceil(np.sqrt(n)))
    cols = int(np.ceil(n / rows))
    padded = torch.zeros(rows * cols, *images.shape[1:])
    padded[:n] = images.detach().cpu()
    padded = torch.nn.functional.pad(padded, (0, 1, 0, 1))  # a blank line between images
    mosaic = rearrange(padded, "(r c) 1 h w -> (r h) (c w)", r=rows)
    fig, ax = plt.subplots(figsize=(0.45 * cols + 0.5, 0.45 * rows + 0.6), layout="constrained")
    ax.imshow(mosaic.numpy(), cmap="gray_r", vmin=0, vmax=1)
    ax.set(title=title, xticks=[], yticks=[])
    return fig


def latent_manifold(
    decode: Callable[[torch.Tensor], torch.Tensor], steps: int = 15, limit: float | None = None
) -> Figure:
    """Decode a grid over the 2-D latent space: the map of what each code means.

    By default the grid is spaced by Gaussian quantiles, $z = \\Phi^{-1}(u)$ for evenly spaced
    $u$ (inverse transform sampling again): equal prior mass between neighbours. With ``limit``
    it is an even grid over ``[-limit, limit]²`` instead.

    Args:
        decode: ``(n, 2) -> (n, 1, h, w)``, e.g. ``model.decode``.
        steps: Grid points per axis.
        limit: Half-width of an even grid, or ``None`` for the quantile grid.
    """
    if limit is None:
        u = torch.linspace(0.5 / steps, 1 - 0.5 / steps, steps)
        axis = torch.distributions.Normal(0.0, 1.0).icdf(u)
    else:
        axis = torch.linspace(-limit, limit, steps)
    z2, z1 = torch.meshgrid(axis.flip(0), axis, indexing="ij")  # z2 grows upwards
    with torch.no_grad():
        images = decode(torch.stack([z1.flatten(), z2.flatten()], dim=1))
    kind = "Gaussian quantiles" if limit is None else f"[-{limit}, {limit}]²"
    return image_grid(images, f"decoded latent grid ({kind})", rows=steps)


def reconstructions(originals: torch.Tensor, reconstructed: dict[str, torch.Tensor]) -> Figure:
    """Originals on the top row, each model's reconstructions on the rows below."""
    rows = {"original": originals, **reconstructed}
    n = originals.shape[0]
    fig, axes = plt.subplots(len(rows), n, figsize=(0.6 * n + 1.2, 0.7 * len(rows)),
                             layout="constrained", squeeze=False)
    for r, (name, batch) in enumerate(rows.items()):
        for c in range(n):
            axes[r, c].imshow(batch[c, 0].detach().cpu().numpy(), cmap="gray_r", vmin=0, vmax=1)
            axes[r, c].set(xticks=[], yticks=[])
        axes[r, 0].set_ylabel(name, rotation=0, ha="right", va="center")
    return fig


def losses(history) -> Figure:
    """The three losses over training (a :class:`~dlpapers.train.History`), and validation MMD².

    At the adversarial equilibrium $D$ outputs 1/2 everywhere: the discriminator's loss
    (real + fake) sits near $2\\ln 2$ and the generator's near $\\ln 2$ (dashed lines).
    """
    epochs = history["epoch"]
    fig, axes = plt.subplots(1, 3, figsize=(13, 3.4), layout="constrained")
    axes[0].plot(epochs, history["reconstruction"], label="train")
    axes[0].plot(epochs, history["val_mse"], label="validation")
    axes[0].set(title="reconstruction phase (MSE)", xlabel="epoch", yscale="log")
    axes[0].legend()
    if history["discriminator"]:
        axes[1].plot(epochs, history["discriminator"], label="discriminator step")
        axes[1].plot(epochs, history["generator"], label="generator step (encoder)")
        for level in (2 * np.log(2), np.log(2)):
            axes[1].axhline(level, color="gray", ls="--", lw=1)
        axes[1].legend()
    axes[1].set(title="regularization phase (BCE)", xlabel="epoch")
    axes[2].plot(epochs, history["val_mmd2"], color="tab:green")
    axes[2].set(title="validation MMD² to the prior", xlabel="epoch", yscale="symlog",
                ylim=(-1e-3, None))
    axes[2].set_yscale("symlog", linthresh=1e-3)
    return fig


def block_diagram() -> Figure:
    """The AAE in the style of the paper's Fig. 1, with the updates of one minibatch numbered.

    Top row: the autoencoder ``x -> encoder -> z -> decoder -> x̂`` (phase 1, reconstruction).
    Bottom row: prior samples and the codes go into the discriminator (phase 2, regularization:
    step 2a trains the discriminator, step 2b the encoder as the generator).
    """
    from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

    ink = plt.rcParams["text.color"]
    blue, orange = "tab:blue", "tab:orange"
    fig, ax = plt.subplots(figsize=(9, 4.4), layout="constrained")
    ax.set(xlim=(0, 10), ylim=(-0.25, 5.0), aspect="equal")
    ax.axis("off")

    def box(x, y, w, h, text, colour):
        ax.add_patch(FancyBboxPatch((x - w / 2, y - h / 2), w, h, boxstyle="round,pad=0.08",
                                    facecolor=colour, alpha=0.25, edgecolor=colour, lw=1.5))
        ax.text(x, y, text, ha="center", va="center", fontsize=10, color=ink)

    def arrow(start, end, colour=ink, style="-|>", **kwargs):
        ax.add_patch(FancyArrowPatch(start, end, arrowstyle=style, mutation_scale=14,
                                     color=colour, lw=1.4, shrinkA=2, shrinkB=2, **kwargs))

    def badge(x, y, text, colour):
        ax.text(x, y, text, ha="center", va="center", fontsize=9, fontweight="bold",
                color="white", bbox=dict(boxstyle="circle,pad=0.25", facecolor=colour,
                                         edgecolor="none"))

    def frame(x, y, w, h, colour):
        ax.add_patch(FancyBboxPatch((x, y), w, h, boxstyle="round,pad=0.05", facecolor="none",
                                    edgecolor=colour, lw=1, linestyle=":"))

    frame(0.1, 3.3, 9.8, 1.6, blue)
    box(0.7, 4.0, 1.0, 0.7, "image\n$x$", "tab:gray")
    box(2.7, 4.0, 1.7, 0.9, "encoder $E$\n$q(z\\mid x)$", blue)
    box(4.9, 4.0, 0.9, 0.7, "code\n$z$", "tab:gray")
    box(7.0, 4.0, 1.7, 0.9, "decoder $G$\n$p(x\\mid z)$", blue)
    box(9.2, 4.0, 1.0, 0.7, "$\\hat x$", "tab:gray")
    for a, b in ((1.2, 1.85), (3.55, 4.45), (5.35, 6.15), (7.85, 8.7)):
        arrow((a, 4.0), (b, 4.0))
    badge(0.45, 4.65, "1", blue)
    ax.text(0.75, 4.65, "reconstruction phase: update $E$, $G$ on $\\|x - \\hat x\\|^2$",
            fontsize=9, color=blue, va="center")

    frame(0.1, -0.15, 9.8, 2.55, orange)
    ax.text(0.3, 2.15, "regularization phase", fontsize=9, color=orange, va="center")
    box(2.4, 1.2, 1.9, 0.9, "prior samples\n$z' \\sim p(z)$", "tab:gray")
    box(4.9, 1.2, 1.8, 0.9, "discriminator $D$", orange)
    box(7.6, 1.2, 2.2, 0.9, "$D(z)$: prior (1)\nor code (0)?", "tab:gray")
    arrow((3.35, 1.2), (4.0, 1.2))
    arrow((4.9, 3.55), (4.9, 1.65), colour=orange)
    arrow((5.8, 1.2), (6.5, 1.2))
    ax.text(4.8, 2.9, "codes $z = E(x)$", fontsize=9, color=ink, ha="right")
    arrow((7.2, 1.7), (3.2, 3.5), colour=orange, linestyle="--", connectionstyle="arc3,rad=0.3")
    ax.text(6.9, 2.75, "gradient of $-\\log D(E(x))$\ninto $E$ only", fontsize=8, color=orange)
    badge(0.45, 0.2, "2a", orange)
    ax.text(0.8, 0.2, "step 1: update $D$ (prior = 1, codes = 0)", fontsize=9, color=orange,
            va="center")
    badge(5.6, 0.2, "2b", orange)
    ax.text(5.95, 0.2, "step 2: update $E$ so that $D$ says 1", fontsize=9, color=orange,
            va="center")
    return fig
