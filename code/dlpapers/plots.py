"""Every figure the notebooks show, as functions that return a :class:`matplotlib.figure.Figure`.

Each function takes tensors or finished results (no training happens here) and draws one figure;
``fig.savefig(...)`` writes it, a notebook just displays it.
"""

from __future__ import annotations

from collections.abc import Callable

import matplotlib.pyplot as plt
import numpy as np
import torch
from matplotlib.figure import Figure
from torch import nn
from torch.distributions import Distribution

from dlpapers.mdn import mode


def _grid(distribution: Distribution, samples: torch.Tensor, points: int = 400) -> torch.Tensor:
    """Points spanning the samples (plus a margin), inside the distribution's support."""
    low, high = np.quantile(samples.numpy(), [0.001, 0.999])
    pad = 0.1 * (high - low)
    xs = torch.linspace(low - pad, high + pad, points, dtype=torch.float64)
    return xs[distribution.support.check(xs.to(distribution.mean.dtype))]


def inverse_transform(
    distribution: Distribution, u: torch.Tensor, samples: torch.Tensor, name: str = ""
) -> Figure:
    """Uniform draws, the CDF that maps them, and the samples they become.

    Three panels: the histogram of ``u`` (flat); the target CDF with a few ``u`` values traced
    across to their ``x = F⁻¹(u)``; the histogram of the samples against the true density.

    Args:
        distribution: The target distribution (its ``cdf`` and ``log_prob`` are drawn).
        u: The uniform draws, ``(n,)``.
        samples: ``F⁻¹(u)``, ``(n,)``.
        name: Name of the target for the titles.
    """
    xs = _grid(distribution, samples)
    cdf = distribution.cdf(xs.to(distribution.mean.dtype)).double()
    pdf = distribution.log_prob(xs.to(distribution.mean.dtype)).exp().double()
    fig, axes = plt.subplots(1, 3, figsize=(12, 3.4), layout="constrained")

    axes[0].hist(u.numpy(), bins=40, range=(0, 1), density=True, color="tab:gray")
    axes[0].axhline(1.0, color="black", lw=1)
    axes[0].set(title="U ~ Uniform(0, 1)", xlabel="u", ylabel="density")

    axes[1].plot(xs, cdf, color="tab:blue")
    for level in (0.1, 0.3, 0.5, 0.7, 0.9):
        x = xs[torch.searchsorted(cdf.contiguous(), torch.tensor([level], dtype=cdf.dtype))]
        x = float(x.clamp(xs.min(), xs.max()))
        axes[1].annotate("", xy=(x, 0), xytext=(x, level),
                         arrowprops={"arrowstyle": "->", "color": "tab:orange"})
        axes[1].plot([xs[0], x], [level, level], color="tab:orange", lw=0.8)
    axes[1].set(title=f"F (CDF of {name})", xlabel="x", ylabel="u = F(x)")

    axes[2].hist(samples.numpy(), bins=60, range=(float(xs[0]), float(xs[-1])), density=True,
                 color="tab:blue", alpha=0.6, label="F⁻¹(U)")
    axes[2].plot(xs, pdf, color="black", lw=1.5, label="true density")
    axes[2].set(title=f"X = F⁻¹(U) ~ {name}", xlabel="x")
    axes[2].legend()
    return fig


def pit_histogram(values: torch.Tensor, title: str = "PIT", bins: int = 20) -> Figure:
    """Histogram of probability-integral-transform values: flat if the model is calibrated.

    The band marks where a bin count of a truly uniform sample falls 95% of the time.
    """
    v = values.detach().flatten().numpy()
    n = v.size
    expected = n / bins
    half_band = 1.96 * np.sqrt(expected * (1 - 1 / bins))
    fig, ax = plt.subplots(figsize=(5, 3.2), layout="constrained")
    ax.hist(v, bins=bins, range=(0, 1), color="tab:green", alpha=0.7)
    ax.axhspan(expected - half_band, expected + half_band, color="gray", alpha=0.25,
               label="95% band for uniform")
    ax.axhline(expected, color="black", lw=1)
    ax.set(title=title, xlabel="F(x)", ylabel="count", xlim=(0, 1))
    ax.legend(loc="lower center")
    return fig


# --- AAE ---


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


def aae_losses(history) -> Figure:
    """The three losses over training (a :class:`~dlpapers.train.History`), and test MMD².

    At the adversarial equilibrium $D$ outputs 1/2 everywhere: the discriminator's loss
    (real + fake) sits near $2\\ln 2$ and the generator's near $\\ln 2$ (dashed lines).
    """
    epochs = history["epoch"]
    fig, axes = plt.subplots(1, 3, figsize=(13, 3.4), layout="constrained")
    axes[0].plot(epochs, history["reconstruction"], label="train")
    axes[0].plot(epochs, history["test_mse"], label="test")
    axes[0].set(title="reconstruction phase (MSE)", xlabel="epoch", yscale="log")
    axes[0].legend()
    if history["discriminator"]:
        axes[1].plot(epochs, history["discriminator"], label="discriminator (regularization)")
        axes[1].plot(epochs, history["generator"], label="encoder (generation)")
        for level in (2 * np.log(2), np.log(2)):
            axes[1].axhline(level, color="gray", ls="--", lw=1)
        axes[1].legend()
    axes[1].set(title="adversarial phases (BCE)", xlabel="epoch")
    axes[2].plot(epochs, history["test_mmd2"], color="tab:green")
    axes[2].set(title="test MMD² to the prior", xlabel="epoch", yscale="symlog",
                ylim=(-1e-3, None))
    axes[2].set_yscale("symlog", linthresh=1e-3)
    return fig


# --- MDN ---


def _mdn_grid(t: torch.Tensor, points: int = 200) -> torch.Tensor:
    return torch.linspace(float(t.min()), float(t.max()), points)[:, None]


def mdn_baselines(
    t: torch.Tensor, x: torch.Tensor, mse_model: nn.Module, gaussian_model: nn.Module
) -> Figure:
    """The inverse problem with the least-squares fit and a single Gaussian's mean ± 2σ.

    Args:
        t: Inputs, ``(n, 1)``.
        x: Targets, ``(n, 1)``.
        mse_model: ``t: (b, 1) -> (b, 1)``, the conditional-mean regressor.
        gaussian_model: An MDN with one component.
    """
    grid = _mdn_grid(t)
    with torch.no_grad():
        mean = mse_model(grid)[:, 0]
        single = gaussian_model(grid)
        mu, sigma = single.mean[:, 0], single.stddev[:, 0]
    fig, ax = plt.subplots(figsize=(6, 4), layout="constrained")
    ax.scatter(t[:, 0], x[:, 0], s=3, color="tab:gray", alpha=0.5, label="data")
    ax.plot(grid[:, 0], mean, color="tab:red", lw=2, label="MSE fit = E[x | t]")
    ax.plot(grid[:, 0], mu, color="tab:blue", lw=1.5, label="single Gaussian mean")
    ax.fill_between(grid[:, 0], mu - 2 * sigma, mu + 2 * sigma, color="tab:blue", alpha=0.15,
                    label="± 2σ")
    ax.set(xlabel="t (input)", ylabel="x (target)", title="One answer per input is not enough")
    ax.legend(loc="upper left", fontsize=8)
    return fig


def mdn_density(model, t: torch.Tensor, x: torch.Tensor, points: int = 200) -> Figure:
    """The predicted conditional density ``p(x | t)`` as a heat map, the data drawn thinly on top,
    and the most likely mode (:func:`dlpapers.mdn.mode`) as a line of dots."""
    grid_t = _mdn_grid(t, points)
    xs = torch.linspace(float(x.min()) - 0.1, float(x.max()) + 0.1, points)
    with torch.no_grad():
        mixture = model(grid_t)
        density = mixture.log_prob(xs[:, None, None]).exp()  # (x, t)
        best = mode(mixture)[:, 0]
    fig, ax = plt.subplots(figsize=(6.5, 4), layout="constrained")
    image = ax.pcolormesh(grid_t[:, 0], xs, density, cmap="viridis", shading="auto",
                          vmax=float(density.quantile(0.99)))
    fig.colorbar(image, ax=ax, label="p(x | t)")
    ax.scatter(t[:, 0], x[:, 0], s=1, color="white", alpha=0.35)
    ax.plot(grid_t[:, 0], best, ".", ms=2.5, color="tab:orange", label="most likely mode")
    ax.set(xlabel="t (input)", ylabel="x (target)", title="MDN conditional density")
    ax.legend(loc="upper left", fontsize=8)
    return fig


def mdn_weights(model, t: torch.Tensor, points: int = 200) -> Figure:
    """Mixture weights ``pi_k(t)`` against ``t``, stacked (they sum to one at every ``t``)."""
    grid = _mdn_grid(t, points)
    with torch.no_grad():
        weights = model(grid).mixture_distribution.probs  # (b, k)
    fig, ax = plt.subplots(figsize=(6, 3.2), layout="constrained")
    ax.stackplot(grid[:, 0], weights.T, labels=[f"π{k}" for k in range(weights.shape[1])],
                 colors=plt.cm.tab10(np.arange(weights.shape[1]) % 10))
    ax.set(xlabel="t (input)", ylabel="mixture weight", ylim=(0, 1), xlim=(grid[0, 0], grid[-1, 0]),
           title="Which component explains which input")
    ax.legend(loc="center left", bbox_to_anchor=(1, 0.5), fontsize=7)
    return fig


def mdn_samples(model, t: torch.Tensor, x: torch.Tensor, seed: int = 0) -> Figure:
    """One sample of ``x ~ p(x | t)`` per data input ``t``, drawn over the data themselves."""
    torch.manual_seed(seed)
    with torch.no_grad():
        samples = model(t).sample()
    fig, ax = plt.subplots(figsize=(6, 4), layout="constrained")
    ax.scatter(t[:, 0], x[:, 0], s=3, color="tab:gray", alpha=0.5, label="data")
    ax.scatter(t[:, 0], samples[:, 0], s=3, color="tab:orange", alpha=0.6, label="MDN samples")
    ax.set(xlabel="t (input)", ylabel="x (target)", title="Samples from the predicted mixture")
    ax.legend(loc="upper left", fontsize=8)
    return fig


def mdn_training(history, oracle: float | None = None) -> Figure:
    """Training NLL per epoch and the test NLL where it was measured, with the oracle as a floor."""
    fig, ax = plt.subplots(figsize=(6, 3.2), layout="constrained")
    ax.plot(history["epoch"], history["loss"], color="tab:blue", label="train NLL (with noise)")
    tested = [r for r in history.records if "test_nll" in r]
    ax.plot([r["epoch"] for r in tested], [r["test_nll"] for r in tested], color="tab:green",
            label="test NLL")
    if oracle is not None:
        ax.axhline(oracle, color="black", ls="--", lw=1, label="oracle NLL")
    ax.set(xlabel="epoch", ylabel="NLL (nats)", title="MDN training",
           ylim=(oracle - 0.1 if oracle is not None else None, 0.5))
    ax.legend(fontsize=8)
    return fig


def mdn_slices(mixture: Distribution, at: torch.Tensor, inverse: torch.Tensor,
               library: torch.Tensor) -> Figure:
    """Samples of ``p(x | t)`` at a few ``t``: by inverse transform and by ``mixture.sample()``.

    Args:
        mixture: 1-D mixture with batch ``(m,)`` (:func:`dlpapers.mdn.marginal` of an MDN output).
        at: The ``m`` inputs, ``(m, 1)``.
        inverse: ``(n, m)`` samples ``F⁻¹(U)`` by bisection.
        library: ``(n, m)`` samples from ``mixture.sample((n,))``.
    """
    m = at.shape[0]
    fig, axes = plt.subplots(1, m, figsize=(4 * m, 3.2), layout="constrained", squeeze=False)
    xs = torch.linspace(float(inverse.min()) - 0.1, float(inverse.max()) + 0.1, 400)
    density = mixture.log_prob(xs[:, None].to(mixture.mean.dtype)).exp()  # (400, m)
    for j, ax in enumerate(axes[0]):
        bins = np.linspace(float(xs[0]), float(xs[-1]), 60)
        ax.hist(inverse[:, j].numpy(), bins=bins, density=True, alpha=0.5, color="tab:blue",
                label="F⁻¹(U), bisection")
        ax.hist(library[:, j].numpy(), bins=bins, density=True, alpha=0.5, color="tab:orange",
                label="mixture.sample()")
        ax.plot(xs, density[:, j], color="black", lw=1.2, label="p(x | t)")
        ax.set(title=f"t = {float(at[j, 0]):.2f}", xlabel="x")
    axes[0, 0].legend(fontsize=7)
    return fig


def empirical_resample(samples: torch.Tensor, resampled: torch.Tensor, name: str = "") -> Figure:
    """A data sample against new values drawn from its empirical quantile function."""
    fig, ax = plt.subplots(figsize=(6, 3.2), layout="constrained")
    bins = np.linspace(float(samples.min()), float(samples.max()), 50)
    ax.hist(samples.flatten().numpy(), bins=bins, density=True, alpha=0.5, color="tab:gray",
            label="data")
    ax.hist(resampled.flatten().numpy(), bins=bins, density=True, alpha=0.5, color="tab:blue",
            label="empirical F⁻¹(U)")
    ax.set(title=f"Resampling {name} through its empirical quantile function", xlabel="value",
           ylabel="density")
    ax.legend(fontsize=8)
    return fig


# --- ViT ---


def vit_patches(image: torch.Tensor, patch_size: int) -> Figure:
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


def vit_position_similarity(pos_embedding: torch.Tensor, grid: int) -> Figure:
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


def vit_attention(images: torch.Tensor, maps: torch.Tensor, rollout: torch.Tensor,
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


def vit_training(history) -> Figure:
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
