"""The ViT's exercises: cut an image into patch tokens, write attention, compose a pre-norm block.

Each exercise holds the task, the reference (checked against the package's own modules) and the
mistakes the checker recognises; :mod:`dlpapers.exercises` runs them. The reference functions
between the ``--8<--`` markers are what the exercise page shows as the solution.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from einops import rearrange
from torch import Tensor

from dlpapers.exercises import Checker, Exercise, Mistake
from dlpapers.vit.model import Block, ViT, ViTConfig


# --8<-- [start:patchify]
def patchify(images: Tensor, patch_size: int) -> Tensor:
    """``(b, c, h, w) -> (b, n, p*p*c)``: patches row by row, features ``(p1 p2 c)``."""
    p = patch_size
    return rearrange(images, "b c (h p1) (w p2) -> b (h w) (p1 p2 c)", p1=p, p2=p)
# --8<-- [end:patchify]


# --8<-- [start:attention]
def attention(q: Tensor, k: Tensor, v: Tensor) -> Tensor:
    """``softmax(q kᵀ / √e) v`` for ``q, k, v: (b, h, n, e)``; softmax over the keys."""
    scores = q @ k.transpose(-2, -1) / q.shape[-1] ** 0.5  # (b, h, n, n): query i, key j
    return scores.softmax(dim=-1) @ v
# --8<-- [end:attention]


# --8<-- [start:block]
def pre_norm_block(z: Tensor, attn, mlp, norm1, norm2) -> Tensor:
    """``z' = z + MSA(LN(z))``, ``z'' = z' + MLP(LN(z'))`` (the paper's eqs. 2-3)."""
    z = z + attn(norm1(z))
    return z + mlp(norm2(z))
# --8<-- [end:block]


def _patch_mistakes() -> tuple[Mistake, ...]:
    def pattern(p: str):
        return lambda x, s: rearrange(x, f"b c (h p1) (w p2) -> {p}", p1=s, p2=s)

    def no_permute(x: Tensor, s: int) -> Tensor:
        return x.reshape(x.shape[0], -1, s * s * x.shape[1])

    return (
        Mistake("features in the order (c p1 p2)", "A token's features go pixel by pixel, "
                "channels last: end the pattern in `(p1 p2 c)` (F.unfold gives `(c p1 p2)`: "
                "rearrange its output).", pattern("b (h w) (c p1 p2)")),
        Mistake("your tokens come out column by column", "The pattern needs `(h w)`, not "
                "`(w h)`: tokens go row by row, top-left first.", pattern("b (w h) (p1 p2 c)")),
        Mistake("a view/reshape without the permute", "The pixels of one patch are not "
                "next to each other in memory: split h and w into `(h p1) (w p2)` and move p1, p2 "
                "next to c before flattening (one einops.rearrange pattern does both).",
                no_permute),
        Mistake("the two pixel axes swapped", "Inside a patch go row by row too: `(p1 p2 c)`, "
                "not `(p2 p1 c)`.", pattern("b (h w) (p2 p1 c)")),
    )


def _check_patchify(t: Checker) -> None:
    g = torch.Generator().manual_seed(0)
    for b, c, size, p in ((2, 3, 8, 2), (1, 3, 12, 4), (3, 2, 6, 3), (2, 1, 8, 2)):
        images = torch.randn(b, c, size, size, generator=g)
        embedding = ViT(ViTConfig(image_size=size, patch_size=p, channels=c)).to_patch_embedding
        expected = embedding[0](images)  # the package's Rearrange, before the Linear
        what = f"({b}, {c}, {size}, {size}) with p={p} -> {tuple(expected.shape)}, as ViT's patches"
        t.compare(what, t.call(what, images, p), expected, (images, p))
    images = torch.randn(1, 2, 4, 8, generator=g)
    what = "a non-square image (1, 2, 4, 8), p=2: 2 rows of 4 patches"
    t.compare(what, t.call(what, images, 2), patchify(images, 2), (images, 2))


def _attention_mistakes() -> tuple[Mistake, ...]:
    def variant(scale, dim=-1):
        return lambda q, k, v: (q @ k.transpose(-2, -1) * scale(q, k)).softmax(dim=dim) @ v

    def by_hand(q, k, v):
        e = (q @ k.transpose(-2, -1) / q.shape[-1] ** 0.5).exp()
        return e / e.sum(-1, keepdim=True) @ v

    return (
        Mistake("softmax over the queries instead of the keys", "Each query's weights must sum "
                "to 1 over the keys: softmax over the last axis, `dim=-1`.",
                variant(lambda q, k: q.shape[-1] ** -0.5, dim=-2)),
        Mistake("the scale 1/√e is missing", "Divide the scores by √e (e = q.shape[-1]) before "
                "the softmax, or large e makes the softmax nearly one-hot.",
                variant(lambda q, k: 1)),
        Mistake("scaled by 1/e instead of 1/√e", "Divide by the square root of e: "
                "`q.shape[-1] ** 0.5`.", variant(lambda q, k: 1 / q.shape[-1])),
        Mistake("multiplied by √e instead of dividing", "The scores are divided by √e.",
                variant(lambda q, k: q.shape[-1] ** 0.5)),
        Mistake("scaled by the number of tokens", "The scale is √e, the width of q and k "
                "(`q.shape[-1]`), not √n (`q.shape[-2]`).",
                variant(lambda q, k: q.shape[-2] ** -0.5)),
        Mistake("a softmax by hand that overflows", "exp of a large score is inf and inf/inf is "
                "NaN: subtract each row's maximum first, or use `torch.softmax`.", by_hand),
    )


def _check_attention(t: Checker) -> None:
    g = torch.Generator().manual_seed(1)
    used = []
    fused = F.scaled_dot_product_attention
    F.scaled_dot_product_attention = lambda *a, **kw: used.append(1) or fused(*a, **kw)
    try:
        q, k, v = (torch.randn(2, 3, 5, 4, generator=g) for _ in range(3))
        what = "q, k, v of shape (2, 3, 5, 4): equals softmax(q kᵀ / √e) v"
        t.compare(what, t.call(what, q, k, v), attention(q, k, v), (q, k, v))
        q, k = (torch.randn(1, 2, 6, 6, generator=g) for _ in range(2))
        eye = torch.eye(6).expand(1, 2, 6, 6)
        what = "with v = I the output is the weights: each row sums to 1 over the keys"
        weights = t.call(what, q, k, eye)
        if t.tensor(what, weights, (1, 2, 6, 6)):
            sums = weights.detach().sum(-1)
            t.expect(what, torch.allclose(sums, torch.ones_like(sums), atol=1e-5), [
                f"row sums range from {sums.min():.3g} to {sums.max():.3g}",
                *t.hint(weights, (q, k, eye))])
        q, k, v = (torch.randn(1, 1, 4, 8, generator=g) * 12 for _ in range(3))
        what = "large scores (entries of size 12): finite and still correct"
        t.compare(what, t.call(what, q, k, v), attention(q, k, v), (q, k, v), atol=1e-4)
    finally:
        F.scaled_dot_product_attention = fused
    t.expect("written by hand: F.scaled_dot_product_attention is not used", not used, [
        "the exercise is the formula itself: compute the scores, the softmax and the sum"])


def _block_mistakes() -> tuple[Mistake, ...]:
    return (
        Mistake("a post-norm block", "ViT normalises *before* each sublayer, inside the "
                "residual branch: `z + attn(norm1(z))`, not `norm1(z + attn(z))`.",
                lambda z, a, m, n1, n2: n2((y := n1(z + a(z))) + m(y))),
        Mistake("the residual connections are missing", "Add the input back after each "
                "sublayer: `z = z + attn(norm1(z))`, then `z + mlp(norm2(z))`.",
                lambda z, a, m, n1, n2: m(n2(a(n1(z))))),
        Mistake("the MLP reads the block's input, not the attention's result", "Update z "
                "after attention and feed that to the MLP: the two sublayers run one after the "
                "other.", lambda z, a, m, n1, n2: z + a(n1(z)) + m(n2(z))),
        Mistake("norm1 used for both sublayers", "Each sublayer has its own LayerNorm: "
                "norm2 before the MLP.", lambda z, a, m, n1, n2: (y := z + a(n1(z))) + m(n1(y))),
    )


def _check_block(t: Checker) -> None:
    torch.manual_seed(2)
    block = Block(ViTConfig(dim=16, heads=2, mlp_dim=32, dropout=0.0)).eval()
    with torch.no_grad():  # LayerNorms that are not the identity, so a swapped norm shows
        for norm in (block.norm1, block.norm2):
            norm.weight.uniform_(0.5, 2.0)
            norm.bias.normal_()
    parts = (block.attn, block.mlp, block.norm1, block.norm2)
    for shape in ((2, 5, 16), (1, 17, 16)):
        z = torch.randn(*shape)
        what = f"z of shape {shape}: the same as the package's Block"
        with torch.no_grad():
            t.compare(what, t.call(what, z, *parts), block(z), (z, *parts), atol=1e-5)
    zero = torch.zeros_like
    z, silent = torch.randn(2, 5, 16), (zero, zero, block.norm1, block.norm2)
    what = "sublayers that output 0: the block passes z through unchanged (the residual path)"
    with torch.no_grad():
        t.compare(what, t.call(what, z, *silent), z, (z, *silent))


EXERCISES = (
    Exercise(
        id="vit-patchify", paper="vit", function="patchify",
        signature="patchify(images: Tensor, patch_size: int) -> Tensor",
        task="Cut images (b, c, h, w) into p x p patches and flatten each into one token:\n"
             "(b, c, h, w) -> (b, n, p*p*c), n = (h/p) * (w/p).\n"
             "Tokens row by row, top-left first; a token's features in the order (p1 p2 c).\n"
             "Hint: einops.rearrange with the pattern 'b c (h p1) (w p2) -> ...'.",
        concept="patch embedding: an image as a sequence of tokens", difficulty=1,
        reference=patchify, checks=_check_patchify, mistakes=_patch_mistakes(),
    ),
    Exercise(
        id="vit-attention", paper="vit", function="attention",
        signature="attention(q: Tensor, k: Tensor, v: Tensor) -> Tensor",
        task="Scaled dot-product attention, written out: softmax(q kᵀ / √e) v.\n"
             "q, k, v: (b, h, n, e) -> (b, h, n, e). The softmax runs over the keys.\n"
             "Do not use F.scaled_dot_product_attention: the formula is the exercise.",
        concept="scaled dot-product attention", difficulty=1,
        reference=attention, checks=_check_attention, mistakes=_attention_mistakes(),
    ),
    Exercise(
        id="vit-block", paper="vit", function="pre_norm_block",
        signature="pre_norm_block(z: Tensor, attn, mlp, norm1, norm2) -> Tensor",
        task="One pre-norm Transformer block (the paper's eqs. 2-3), from its parts:\n"
             "z' = z + attn(norm1(z)),  z'' = z' + mlp(norm2(z')).\n"
             "z: (b, n, d) -> (b, n, d); attn, mlp, norm1, norm2 are modules (call them).",
        concept="pre-norm residual block", difficulty=2,
        reference=pre_norm_block, checks=_check_block, mistakes=_block_mistakes(),
    ),
)
