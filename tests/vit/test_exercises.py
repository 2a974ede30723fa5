"""The ViT exercises: realistic wrong answers fail with the hint that names their mistake."""

from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F
from einops import rearrange

from dlpapers import exercises
from dlpapers.vit import exercises as vit_exercises
from dlpapers.vit.model import ViT, ViTConfig


def test_the_patchify_reference_is_the_package_s_patch_embedding():
    images = torch.randn(2, 3, 12, 12)
    layer = ViT(ViTConfig(image_size=12, patch_size=4, channels=3)).to_patch_embedding[0]
    assert torch.equal(vit_exercises.patchify(images, 4), layer(images))


def test_the_attention_reference_is_the_fused_kernel():
    q, k, v = torch.randn(3, 2, 4, 7, 5)
    torch.testing.assert_close(vit_exercises.attention(q, k, v),
                               F.scaled_dot_product_attention(q, k, v))


# Wrong answers as a learner writes them (not the checker's own variants).
def unfold(images, patch_size):
    return F.unfold(images, kernel_size=patch_size, stride=patch_size).transpose(1, 2)


def column_major(images, patch_size):
    return rearrange(images, "b c (h p1) (w p2) -> b (w h) (p1 p2 c)", p1=patch_size, p2=patch_size)


def view_only(images, patch_size):
    b, c, h, w = images.shape
    return images.view(b, (h // patch_size) * (w // patch_size), patch_size * patch_size * c)


@pytest.mark.parametrize("answer, hint", [
    (unfold, "features in the order (c p1 p2)"),
    (column_major, "your tokens come out column by column. The pattern needs `(h w)`, not `(w h)`"),
    (view_only, "a view/reshape without the permute"),
])
def test_wrong_patchify_answers_are_named(answer, hint):
    report = str(exercises.run("vit-patchify", answer))
    assert "✗" in report and hint in report


def softmax_over_queries(q, k, v):
    weights = torch.softmax(q @ k.transpose(-2, -1) / q.shape[-1] ** 0.5, dim=2)
    return weights @ v


def unscaled(q, k, v):
    return torch.softmax(torch.einsum("bhie,bhje->bhij", q, k), dim=-1) @ v


def scaled_by_e(q, k, v):
    return torch.softmax(q @ k.mT / q.size(-1), dim=-1) @ v


def exp_by_hand(q, k, v):
    scores = torch.exp(q @ k.mT / q.shape[-1] ** 0.5)
    return scores / scores.sum(dim=-1, keepdim=True) @ v


def fused(q, k, v):
    return F.scaled_dot_product_attention(q, k, v)


@pytest.mark.parametrize("answer, hint", [
    (softmax_over_queries, "softmax over the queries instead of the keys"),
    (unscaled, "the scale 1/√e is missing"),
    (scaled_by_e, "scaled by 1/e instead of 1/√e"),
    (exp_by_hand, "a softmax by hand that overflows"),
    (fused, "✗ written by hand: F.scaled_dot_product_attention is not used"),
])
def test_wrong_attention_answers_are_named(answer, hint):
    report = exercises.run("vit-attention", answer)
    assert not report.passed and hint in str(report)


def test_the_rows_sum_check_says_by_how_much():
    report = str(exercises.run("vit-attention", softmax_over_queries))
    assert "✗ with v = I the output is the weights: each row sums to 1" in report
    assert "row sums range from" in report


def post_norm(z, attn, mlp, norm1, norm2):
    z = norm1(z + attn(z))
    return norm2(z + mlp(z))


def no_residual(z, attn, mlp, norm1, norm2):
    return mlp(norm2(attn(norm1(z))))


def parallel(z, attn, mlp, norm1, norm2):
    return z + attn(norm1(z)) + mlp(norm2(z))


@pytest.mark.parametrize("answer, hint", [
    (post_norm, "a post-norm block"),
    (no_residual, "the residual connections are missing"),
    (parallel, "the MLP reads the block's input, not the attention's result"),
])
def test_wrong_blocks_are_named(answer, hint):
    report = exercises.run("vit-block", answer)
    assert not report.passed and hint in str(report)
