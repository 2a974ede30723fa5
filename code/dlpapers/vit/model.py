"""The Vision Transformer's config and modules: patch embedding, attention, block, ViT.

The paper, its equations and the shapes are explained in :mod:`dlpapers.vit`; this file is the
model alone (torch and einops only): it knows nothing of data or training.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
import torch.nn.functional as F
from einops.layers.torch import Rearrange
from torch import nn


@dataclass(frozen=True)
class ViTConfig:
    """Everything that defines a :class:`ViT`; saved whole into checkpoints.

    ``dim_head`` defaults to ``dim // heads`` (then ``heads`` must divide ``dim``). Give it
    explicitly to use any head width: the heads' outputs, ``heads * dim_head`` features in all,
    are projected back to ``dim`` by ``to_out`` anyway.
    """

    image_size: int = 8
    patch_size: int = 2
    channels: int = 1
    num_classes: int = 10
    dim: int = 64
    depth: int = 4
    heads: int = 4
    dim_head: int | None = None
    mlp_dim: int = 128
    dropout: float = 0.1
    pool: str = "cls"

    def __post_init__(self) -> None:
        for name in ("image_size", "patch_size", "channels", "num_classes", "dim", "depth",
                     "heads", "mlp_dim") + (("dim_head",) if self.dim_head is not None else ()):
            value = getattr(self, name)
            if not isinstance(value, int) or value < 1:
                raise ValueError(f"{name} must be a positive int, got {value!r}")
        if self.image_size % self.patch_size:
            raise ValueError(
                f"image_size {self.image_size} is not divisible by patch_size {self.patch_size}: "
                f"pick a patch_size that divides it (or resize/pad the images)"
            )
        if self.dim_head is None:
            if self.dim % self.heads:
                raise ValueError(
                    f"heads={self.heads} does not divide dim={self.dim}: change heads or dim, "
                    "or pass dim_head explicitly"
                )
            object.__setattr__(self, "dim_head", self.dim // self.heads)
        if not 0.0 <= self.dropout < 1.0:
            raise ValueError(f"dropout must lie in [0, 1), got {self.dropout}")
        if self.pool not in ("cls", "mean"):
            raise ValueError(f"pool must be 'cls' or 'mean', got {self.pool!r}")

    @property
    def num_patches(self) -> int:
        """Patches per image, ``(image_size // patch_size) ** 2``: the sequence length."""
        return (self.image_size // self.patch_size) ** 2


class Attention(nn.Module):
    """Multi-head self-attention: one fused ``to_qkv`` Linear, SDPA, ``to_out`` back to ``dim``.

    Dropout sits where the ViT paper puts it (appendix B.1), after the output projection; the
    attention probabilities themselves are not dropped.
    """

    def __init__(self, dim: int, heads: int, dim_head: int, dropout: float) -> None:
        super().__init__()
        self.heads, self.inner = heads, heads * dim_head
        self.to_qkv = nn.Linear(dim, 3 * self.inner, bias=False)
        self.to_out = nn.Sequential(nn.Linear(self.inner, dim), nn.Dropout(dropout))

    def _split_heads(self, t: torch.Tensor, parts: int) -> torch.Tensor:
        """``b n (parts h e) -> parts b h n e``; a ``view`` + ``permute`` does what
        ``einops.rearrange`` would, without its overhead in the hot path."""
        b, n, _ = t.shape
        return t.view(b, n, parts, self.heads, -1).permute(2, 0, 3, 1, 4)

    def qkv(self, x: torch.Tensor) -> torch.Tensor:
        """``x: (b, n, d) -> (3, b, h, n, e)``, i.e. ``b n (three h e) -> three b h n e``."""
        return self._split_heads(self.to_qkv(x), 3)

    def forward(self, x: torch.Tensor, queries: int | None = None) -> torch.Tensor:
        """``x: (b, n, d) -> (b, n, d)``.

        With ``queries=m`` only the first ``m`` tokens ask (``-> (b, m, d)``); keys and values
        still come from all ``n``. The class-token head needs nothing else from the last block.
        """
        if queries is None:
            q, k, v = self.qkv(x)
        else:
            w_q, w_kv = self.to_qkv.weight.split([self.inner, 2 * self.inner])
            (q,) = self._split_heads(F.linear(x[:, :queries], w_q), 1)
            k, v = self._split_heads(F.linear(x, w_kv), 2)
        out = F.scaled_dot_product_attention(q, k, v)  # (b, h, m, e)
        return self.to_out(out.transpose(1, 2).flatten(2))  # b h m e -> b m (h e)

    def weights(self, x: torch.Tensor) -> torch.Tensor:
        """The attention weights ``softmax(q kᵀ / √e)`` written out: ``(b, n, d) -> (b, h, n, n)``.

        Row ``i`` says how much token ``i`` takes from every token ``j``; each row sums to 1
        (softmax over the *keys*, the last axis). Used for plots, never in training.
        """
        q, k, _ = self.qkv(x)
        return (q @ k.transpose(-2, -1) * q.shape[-1] ** -0.5).softmax(dim=-1)


class Block(nn.Module):
    """Pre-norm encoder block: ``z' = z + MSA(LN(z))``, ``z'' = z' + MLP(LN(z'))``."""

    def __init__(self, config: ViTConfig) -> None:
        super().__init__()
        c = config
        self.norm1 = nn.LayerNorm(c.dim)
        self.attn = Attention(c.dim, c.heads, c.dim_head, c.dropout)
        self.norm2 = nn.LayerNorm(c.dim)
        self.mlp = nn.Sequential(
            nn.Linear(c.dim, c.mlp_dim), nn.GELU(), nn.Dropout(c.dropout),
            nn.Linear(c.mlp_dim, c.dim), nn.Dropout(c.dropout),
        )

    def forward(self, z: torch.Tensor, queries: int | None = None) -> torch.Tensor:
        """``z: (b, n, d) -> (b, n, d)``; with ``queries=m``, only the first ``m`` tokens come
        out, ``(b, m, d)`` (see :meth:`Attention.forward`)."""
        z = z[:, :queries] + self.attn(self.norm1(z), queries)
        return z + self.mlp(self.norm2(z))


class ViT(nn.Module):
    """The Vision Transformer classifier: ``x: (b, c, h, w) -> (b, num_classes)`` logits.

    ``to_patch_embedding`` is ``Rearrange`` then one ``Linear`` (the paper's matrix ``E``): that
    pair is exactly a ``Conv2d`` with ``kernel_size = stride = patch_size``, and the extra
    LayerNorms some implementations wrap around it cost time without helping on small images.
    """

    def __init__(self, config: ViTConfig) -> None:
        super().__init__()
        self.config = c = config
        p = c.patch_size
        self.to_patch_embedding = nn.Sequential(
            # h, w count patches; tokens come out row by row (row-major), top-left first
            Rearrange("b c (h p1) (w p2) -> b (h w) (p1 p2 c)", p1=p, p2=p),
            nn.Linear(p * p * c.channels, c.dim),
        )
        tokens = c.num_patches + (c.pool == "cls")
        self.cls_token = nn.Parameter(torch.zeros(1, 1, c.dim)) if c.pool == "cls" else None
        self.pos_embedding = nn.Parameter(torch.zeros(1, tokens, c.dim))
        self.dropout = nn.Dropout(c.dropout)
        self.blocks = nn.ModuleList(Block(c) for _ in range(c.depth))
        self.norm = nn.LayerNorm(c.dim)
        self.head = nn.Linear(c.dim, c.num_classes)
        self.apply(self._init_weights)
        self.to_patch_embedding[1].reset_parameters()  # timm: a Conv2d's default init, not 0.02
        # timm draws the position embedding from a truncated normal with std 0.02 (and the
        # class token from a normal with std 1e-6); with 2x2 patches, whose embeddings are
        # nearly alike (most are blank), std 0.02 hides the position and training sits on the
        # loss plateau log(classes) for hundreds of steps. std 0.5 (for both) does not.
        for token in (self.pos_embedding, self.cls_token):
            if token is not None:
                nn.init.trunc_normal_(token, std=0.5, a=-1.0, b=1.0)

    @staticmethod
    def _init_weights(module: nn.Module) -> None:
        """timm's init: truncated normal (std 0.02) for Linear weights, zero biases."""
        if isinstance(module, nn.Linear):
            nn.init.trunc_normal_(module.weight, std=0.02)
            if module.bias is not None:
                nn.init.zeros_(module.bias)

    def _check(self, x: torch.Tensor) -> None:
        c = self.config
        want = (c.channels, c.image_size, c.image_size)
        if x.ndim != 4 or tuple(x.shape[1:]) != want:
            raise ValueError(
                f"expected images (b, {want[0]}, {want[1]}, {want[2]}), got {tuple(x.shape)}: "
                "check channels and spatial size (resize the images or change ViTConfig)"
            )
        if not torch.isfinite(x).all():
            raise ValueError("the images contain NaN or inf values: clean the input first")

    def embed(self, x: torch.Tensor) -> torch.Tensor:
        """Eq. 1: patches, class token, position embedding. ``(b, c, h, w) -> (b, n, d)``."""
        z = self.to_patch_embedding(x)  # (b, N, d)
        if self.cls_token is not None:
            z = torch.cat((self.cls_token.expand(z.shape[0], -1, -1), z), dim=1)  # (b, N+1, d)
        return self.dropout(z + self.pos_embedding)

    def forward_features(self, x: torch.Tensor) -> torch.Tensor:
        """The encoder's output tokens: ``(b, c, h, w) -> (b, n, d)`` (after the final LN)."""
        self._check(x)
        z = self.embed(x)
        for block in self.blocks:
            z = block(z)
        return self.norm(z)

    def forward_head(self, z: torch.Tensor) -> torch.Tensor:
        """Pool the tokens (class token, or mean) and classify: ``(b, n, d) -> (b, classes)``."""
        return self.head(z[:, 0] if self.config.pool == "cls" else z.mean(dim=1))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """``x: (b, c, h, w) -> (b, num_classes)`` logits.

        With ``pool == "cls"`` the head reads the class token alone, so the last block computes
        that token only (its attention still reads all tokens): the same logits as
        ``forward_head(forward_features(x))`` for about a quarter of the last block's work.
        """
        if self.config.pool == "mean":
            return self.forward_head(self.forward_features(x))
        self._check(x)
        z = self.embed(x)
        for block in self.blocks[:-1]:
            z = block(z)
        z = self.blocks[-1](z, queries=1)  # (b, 1, d): the class token only
        return self.forward_head(self.norm(z))

    @torch.no_grad()
    def attention_maps(self, x: torch.Tensor) -> torch.Tensor:
        """Every layer's attention weights: ``(b, c, h, w) -> (depth, b, heads, n, n)``.

        Runs the encoder once and, at each block, also computes the explicit softmax that the
        fused kernel never materialises. Token 0 is the class token when ``pool == "cls"``.
        Call it in eval mode (dropout off) for plots.
        """
        self._check(x)
        z, maps = self.embed(x), []
        for block in self.blocks:
            maps.append(block.attn.weights(block.norm1(z)))
            z = block(z)
        return torch.stack(maps)


def attention_rollout(maps: torch.Tensor) -> torch.Tensor:
    """Attention rollout (Abnar & Zuidema, 2020): how much each token draws from each input token.

    Per layer, average the heads and add the identity for the residual connection (then
    renormalise the rows): ``Â = (mean_h A + I) / 2``. Multiply the layers, ``R = Â_L ⋯ Â_1``.

    Args:
        maps: ``(depth, b, heads, n, n)``, as returned by :meth:`ViT.attention_maps`.

    Returns:
        ``(b, n, n)``; row 0 is the class token's rollout when ``pool == "cls"``.
    """
    if maps.ndim != 5 or maps.shape[-1] != maps.shape[-2]:
        raise ValueError(f"expected maps (depth, b, heads, n, n), got {tuple(maps.shape)}")
    eye = torch.eye(maps.shape[-1], dtype=maps.dtype, device=maps.device)
    rollout = eye.expand(maps.shape[1], -1, -1)
    for layer in maps.mean(dim=2):  # (b, n, n), heads averaged
        a = layer + eye
        rollout = (a / a.sum(dim=-1, keepdim=True)) @ rollout
    return rollout
