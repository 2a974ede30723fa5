"""The adversarial autoencoder's config and modules: encoder, decoder, discriminator, prior.

The paper and its training procedure are explained in :mod:`dlpapers.aae`; this file is the model
alone (torch and einops only). The training phases live in :mod:`dlpapers.aae.experiment`.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import torch
import torch.nn.functional as F
from einops.layers.torch import Rearrange
from torch import distributions as dist
from torch import nn

PRIORS = ("gaussian", "ring")


@dataclass(frozen=True)
class AAEConfig:
    """Shape of an :class:`AdversarialAutoencoder`; learning rates live in the recipe.

    Attributes:
        input_shape: ``(c, h, w)`` of one image, pixels in ``[0, 1]``.
        latent_dim: Size of the code $z$ (2 lets you plot it).
        hidden: Widths of the encoder's hidden layers; the decoder mirrors them.
        disc_hidden: Widths of the discriminator's hidden layers (LeakyReLU, dropout, no BatchNorm).
        prior: ``"gaussian"`` ($N(0, I)$) or ``"ring"`` (``components`` Gaussians on a circle, 2-D).
        components: Number of ring components (10 for the ten digits).
        ring_radius: Radius of the ring.
        ring_std: Standard deviation of each ring component.
        dropout: Dropout in the discriminator, which keeps it from overpowering the encoder.
        supervised: Give the discriminator one-hot labels and match each label to its own ring
            component (paper Fig. 4); needs ``prior="ring"`` and batches ``(x, y)``.
    """

    input_shape: tuple[int, int, int] = (1, 8, 8)
    latent_dim: int = 2
    hidden: tuple[int, ...] = (256, 128)
    disc_hidden: tuple[int, ...] = (128, 128)
    prior: str = "gaussian"
    components: int = 10
    ring_radius: float = 4.0
    ring_std: float = 0.5
    dropout: float = 0.2
    supervised: bool = False

    def __post_init__(self) -> None:
        # checkpoints store tuples as lists: accept both, keep tuples
        object.__setattr__(self, "input_shape", tuple(self.input_shape))
        object.__setattr__(self, "hidden", tuple(self.hidden))
        object.__setattr__(self, "disc_hidden", tuple(self.disc_hidden))
        if len(self.input_shape) != 3 or min(self.input_shape) < 1:
            raise ValueError(f"input_shape must be (c, h, w) > 0, got {self.input_shape}")
        if self.latent_dim < 1:
            raise ValueError(f"latent_dim must be at least 1, got {self.latent_dim}")
        if not self.hidden or not self.disc_hidden or min(self.hidden + self.disc_hidden) < 1:
            raise ValueError("hidden and disc_hidden must be non-empty tuples of positive widths")
        if self.prior not in PRIORS:
            raise ValueError(f"prior must be one of {PRIORS}, got {self.prior!r}")
        if self.prior == "ring" and self.latent_dim != 2:
            raise ValueError(f"the ring prior is 2-D: set latent_dim=2 (got {self.latent_dim})")
        if self.supervised and self.prior != "ring":
            raise ValueError("supervised=True gives each label a ring component: set prior='ring'")
        if self.components < 2 or self.ring_radius <= 0 or self.ring_std <= 0:
            raise ValueError("need components >= 2, ring_radius > 0 and ring_std > 0")
        if not 0.0 <= self.dropout < 1.0:
            raise ValueError(f"dropout must lie in [0, 1), got {self.dropout}")


def _mlp(widths: list[int], activation: Callable[[], nn.Module], dropout: float = 0.0) -> list:
    """Linear layers of the given widths with ``activation`` (and dropout) between them."""
    layers: list[nn.Module] = []
    for i, (a, b) in enumerate(zip(widths[:-1], widths[1:], strict=True)):
        layers.append(nn.Linear(a, b))
        if i < len(widths) - 2:
            layers += [activation()] + ([nn.Dropout(dropout)] if dropout else [])
    return layers


class AdversarialAutoencoder(nn.Module):
    """Encoder, decoder and a discriminator on the codes, plus the prior they are matched to.

    ``forward(x)`` reconstructs: ``x: (b, c, h, w) -> (b, c, h, w)`` in ``[0, 1]``.
    """

    def __init__(self, config: AAEConfig) -> None:
        super().__init__()
        self.config = config
        c, h, w = config.input_shape
        pixels = c * h * w
        self.encoder = nn.Sequential(
            Rearrange("b c h w -> b (c h w)"),
            *_mlp([pixels, *config.hidden, config.latent_dim], nn.ReLU),
        )
        self.decoder = nn.Sequential(
            *_mlp([config.latent_dim, *reversed(config.hidden), pixels], nn.ReLU),
            nn.Sigmoid(),
            Rearrange("b (c h w) -> b c h w", c=c, h=h, w=w),
        )
        extra = config.components if config.supervised else 0
        self.discriminator = nn.Sequential(
            *_mlp([config.latent_dim + extra, *config.disc_hidden, 1],
                  lambda: nn.LeakyReLU(0.2), config.dropout),
            Rearrange("b 1 -> b"),
        )
        angles = torch.arange(config.components) * (2 * math.pi / config.components)
        ring = config.ring_radius * torch.stack([angles.cos(), angles.sin()], dim=1)
        self.register_buffer("prior_loc", torch.zeros(config.latent_dim))
        self.register_buffer("ring_means", ring)  # (k, 2), read by the ring prior only

    def _check_images(self, x: torch.Tensor) -> None:
        if x.ndim != 4 or tuple(x.shape[1:]) != self.config.input_shape:
            raise ValueError(
                f"expected images (b, {', '.join(map(str, self.config.input_shape))}), got "
                f"{tuple(x.shape)}: reshape them or set AAEConfig.input_shape"
            )
        if not torch.isfinite(x).all():
            raise ValueError("the images contain NaN or inf: clean the data first")

    def encode(self, x: torch.Tensor) -> torch.Tensor:
        """Latent codes: ``x: (b, c, h, w) -> z: (b, latent_dim)``."""
        self._check_images(x)
        return self.encoder(x)

    def decode(self, z: torch.Tensor) -> torch.Tensor:
        """Images from codes: ``z: (b, latent_dim) -> (b, c, h, w)`` in ``[0, 1]``."""
        if z.ndim != 2 or z.shape[1] != self.config.latent_dim:
            raise ValueError(f"expected codes (b, {self.config.latent_dim}), got {tuple(z.shape)}")
        if not torch.isfinite(z).all():
            raise ValueError("the codes contain NaN or inf")
        return self.decoder(z)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Reconstruction ``G(E(x))``: ``(b, c, h, w) -> (b, c, h, w)``."""
        return self.decoder(self.encode(x))

    def discriminate(self, z: torch.Tensor, y: torch.Tensor | None = None) -> torch.Tensor:
        """Logit that ``z`` came from the prior: ``z: (b, latent_dim), y: (b,) -> (b,)``.

        In the supervised variant the label enters as a one-hot beside the code, so $D$ judges
        the pair: a code in the wrong label's component is "fake" even if it sits on the ring.
        """
        if self.config.supervised:
            if y is None or y.shape != z.shape[:1]:
                raise ValueError("the supervised AAE needs labels y of shape (b,) with the codes")
            z = torch.cat([z, F.one_hot(y, self.config.components).to(z.dtype)], dim=1)
        return self.discriminator(z)

    def prior(self) -> dist.Distribution:
        """$p(z)$ as a ``torch.distributions`` object: $N(0, I)$ or the ring mixture."""
        if self.config.prior == "gaussian":
            return dist.Independent(dist.Normal(self.prior_loc, 1.0), 1)
        components = dist.Independent(dist.Normal(self.ring_means, self.config.ring_std), 1)
        mixing = dist.Categorical(logits=torch.zeros_like(self.ring_means[:, 0]))
        return dist.MixtureSameFamily(mixing, components)

    def sample_prior(
        self, n: int, labels: torch.Tensor | None = None, generator: torch.Generator | None = None
    ) -> torch.Tensor:
        """``n`` draws from :meth:`prior`, ``(n, latent_dim)``; ``labels: (n,)`` pick components.

        ``torch.distributions`` cannot take a generator, so for seeded draws this writes the same
        sampler out: a component index (uniform, or the label) plus ``std * N(0, I)`` noise.
        """
        noise = torch.randn(n, self.config.latent_dim, generator=generator,
                            device=self.prior_loc.device)
        if self.config.prior == "gaussian":
            return self.prior_loc + noise
        if labels is None:
            labels = torch.randint(self.config.components, (n,), generator=generator,
                                   device=self.prior_loc.device)
        return self.ring_means[labels] + self.config.ring_std * noise

    def sample(self, n: int, generator: torch.Generator | None = None) -> torch.Tensor:
        """Generate ``n`` images by decoding prior samples: ``-> (n, c, h, w)``."""
        if n < 1:
            raise ValueError(f"n must be positive, got {n}")
        return self.decoder(self.sample_prior(n, generator=generator))
