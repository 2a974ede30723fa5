"""The Vision Transformer, as a specification: shapes, patches, attention, inputs, checkpoints."""

from __future__ import annotations

import pickle

import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st
from torch import nn

from dlpapers.train import load_checkpoint, save_checkpoint
from dlpapers.vit import ViT, ViTConfig
from tests.health import assert_healthy
from tests.vit import TINY, tiny


@settings(max_examples=15, deadline=None)
@given(
    batch=st.integers(1, 4),
    patch=st.sampled_from([1, 2, 4, 8]),
    channels=st.integers(1, 3),
    pool=st.sampled_from(["cls", "mean"]),
    heads=st.integers(1, 3),
)
def test_logits_and_features_have_documented_shapes(batch, patch, channels, pool, heads):
    model = tiny(patch_size=patch, channels=channels, pool=pool, heads=heads, dim_head=8)
    x = torch.rand(batch, channels, 8, 8)
    tokens = (8 // patch) ** 2 + (pool == "cls")
    assert model.forward_features(x).shape == (batch, tokens, 16)
    assert model(x).shape == (batch, 10)
    assert model.attention_maps(x).shape == (2, batch, heads, tokens, tokens)


def test_dim_head_defaults_to_dim_over_heads():
    assert ViTConfig(dim=64, heads=4).dim_head == 16
    assert ViTConfig(dim=64, heads=4) == ViTConfig(dim=64, heads=4, dim_head=16)


def test_explicit_dim_head_allows_heads_that_do_not_divide_dim():
    model = tiny(heads=3, dim_head=5)
    assert model.blocks[0].attn.to_qkv.out_features == 3 * 3 * 5
    assert model(torch.rand(2, 1, 8, 8)).shape == (2, 10)


def test_patch_embedding_equals_strided_conv():
    model = tiny(channels=3, patch_size=4)
    linear = model.to_patch_embedding[1]
    conv = nn.Conv2d(3, 16, kernel_size=4, stride=4)
    with torch.no_grad():
        # Linear's input order is (p1 p2 c); Conv2d's weight is (d, c, p1, p2)
        conv.weight.copy_(linear.weight.view(16, 4, 4, 3).permute(0, 3, 1, 2))
        conv.bias.copy_(linear.bias)
    x = torch.rand(2, 3, 8, 8)
    expected = conv(x).flatten(2).transpose(1, 2)  # (b, d, h, w) -> (b, (h w), d)
    torch.testing.assert_close(model.to_patch_embedding(x), expected, rtol=1e-5, atol=1e-5)


def test_patch_order_is_row_major():
    model = tiny(patch_size=4)
    # four 4x4 patches, each filled with its own index: top-left 0, top-right 1, then 2, 3
    x = torch.arange(4.0).view(1, 1, 2, 2).repeat_interleave(4, 2).repeat_interleave(4, 3)
    patches = model.to_patch_embedding[0](x)  # (1, 4, 16)
    assert patches.shape == (1, 4, 16)
    for token in range(4):
        assert torch.all(patches[0, token] == token)


def test_fused_attention_equals_explicit_softmax():
    torch.manual_seed(0)
    model = tiny(heads=2, dim_head=8)
    attn = model.blocks[0].attn
    x = torch.randn(3, 17, 16)
    q, k, v = attn.qkv(x)
    weights = torch.softmax(q @ k.transpose(-2, -1) / 8**0.5, dim=-1)
    explicit = attn.to_out((weights @ v).transpose(1, 2).reshape(3, 17, 16))
    torch.testing.assert_close(attn(x), explicit, rtol=1e-5, atol=1e-5)
    torch.testing.assert_close(attn.weights(x), weights)


def test_class_token_forward_computes_only_what_the_head_reads():
    """``forward`` skips the last block's other tokens; the logits must not change."""
    model = tiny(depth=3, heads=2, dim_head=8)
    x = torch.rand(5, 1, 8, 8)
    torch.testing.assert_close(model(x), model.forward_head(model.forward_features(x)))
    attn, z = model.blocks[-1].attn, torch.randn(5, 17, 16)
    torch.testing.assert_close(attn(z, queries=1), attn(z)[:, :1])


def test_attention_maps_are_row_stochastic_and_leave_forward_unchanged():
    model = tiny()
    x = torch.rand(2, 1, 8, 8)
    before = model(x)
    maps = model.attention_maps(x)
    torch.testing.assert_close(maps.sum(-1), torch.ones(maps.shape[:-1]))
    assert torch.all(maps >= 0)
    torch.testing.assert_close(model(x), before)


@pytest.mark.parametrize(
    "changes",
    [
        {"image_size": 10, "patch_size": 4},
        {"heads": 3},
        {"pool": "max"},
        {"dim": 0},
        {"depth": -1},
        {"patch_size": 0},
        {"mlp_dim": 0},
        {"num_classes": 0},
        {"dim_head": 0},
        {"heads": 2.0},
        {"dropout": 1.0},
        {"dropout": -0.1},
    ],
)
def test_bad_config_raises_value_error(changes):
    with pytest.raises(ValueError):
        ViTConfig(**{**TINY, **changes})


@pytest.mark.parametrize(
    "shape, match",
    [((2, 3, 8, 8), "channels"), ((2, 1, 16, 16), "spatial"), ((1, 8, 8), "channels")],
)
def test_bad_images_raise_value_error(shape, match):
    with pytest.raises(ValueError, match=match):
        tiny()(torch.rand(shape))


def test_nan_images_raise_value_error():
    x = torch.rand(2, 1, 8, 8)
    x[0, 0, 0, 0] = float("nan")
    with pytest.raises(ValueError, match="NaN"):
        tiny()(x)


@pytest.mark.parametrize("pool", ["cls", "mean"])
def test_model_is_healthy(pool):
    torch.manual_seed(0)
    model = ViT(ViTConfig(**{**TINY, "dropout": 0.1, "pool": pool}))
    x, y = torch.rand(8, 1, 8, 8), torch.randint(0, 10, (8,))
    assert_healthy(model, x, lambda m, inputs: F.cross_entropy(m(inputs), y), (8, 10))


def test_checkpoint_round_trips(tmp_path):
    model, x = tiny(), torch.rand(4, 1, 8, 8)
    path = save_checkpoint(model, tmp_path / "vit.pt")
    loaded = load_checkpoint(path, ViT, model.config)
    torch.testing.assert_close(loaded(x), model(x), rtol=0, atol=0)


@pytest.mark.filterwarnings("ignore:Detected pickle protocol")
def test_mismatched_checkpoints_are_refused(tmp_path):
    from dlpapers.mdn import MixtureDensityNetwork

    path = save_checkpoint(tiny(), tmp_path / "vit.pt")
    with pytest.raises(ValueError, match="another ViTConfig"):
        load_checkpoint(path, ViT, ViTConfig(**{**TINY, "depth": 3}))
    with pytest.raises(ValueError, match="not a MixtureDensityNetwork"):
        load_checkpoint(path, MixtureDensityNetwork)
    torch.save(tiny().state_dict(), tmp_path / "plain.pt")
    with pytest.raises(ValueError, match="not a dlpapers checkpoint"):
        load_checkpoint(tmp_path / "plain.pt", ViT)
    (tmp_path / "evil.pt").write_bytes(pickle.dumps(ViTConfig()))
    with pytest.raises(ValueError):
        load_checkpoint(tmp_path / "evil.pt", ViT)
