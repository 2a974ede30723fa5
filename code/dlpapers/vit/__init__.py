r"""Vision Transformer (Dosovitskiy et al., 2021, "An Image is Worth 16x16 Words").

A Transformer reads a sequence of vectors, not an image. ViT cuts the image into ``p x p``
patches, flattens each patch into one vector (a "word"), projects it to ``d`` features, prepends
a learned class token and adds a learned position embedding (the paper's eq. 1):

$$z_0 = [x_\text{cls};\ x_p^1 E;\ \dots;\ x_p^N E] + E_\text{pos}$$

Then ``depth`` pre-norm encoder blocks (eqs. 2-3), a final layer normalization and a linear head
on the class token (or on the mean of the tokens):

$$z' = z + \mathrm{MSA}(\mathrm{LN}(z)), \qquad z'' = z' + \mathrm{MLP}(\mathrm{LN}(z'))$$

Attention inside MSA is $\mathrm{softmax}(QK^\top / \sqrt{d_h})\,V$, computed by
``F.scaled_dot_product_attention`` (a fused kernel); :meth:`ViT.attention_maps` computes the same
weights explicitly, for plots only, so the normal forward pass stays fast. Two more things keep
a training step cheap without changing what is computed: dropout only where the paper puts it
(after the dense layers but not on the attention probabilities, and after adding the position
embedding), and, with the class-token head, a last block that computes the class token alone.

What is where: :mod:`dlpapers.vit.model` (:class:`ViTConfig`, the modules, :class:`ViT`,
:func:`attention_rollout`), :mod:`dlpapers.vit.experiment` (the recipe
:func:`~dlpapers.vit.experiment.train_vit`) and :mod:`dlpapers.vit.plots` (its figures).

Shapes for 8x8 digits with patch 2: ``(b, 1, 8, 8) -> (b, 16, 4) -> (b, 17, d) -> (b, 10)``.
"""

from dlpapers.vit.model import Attention, Block, ViT, ViTConfig, attention_rollout

__all__ = ["Attention", "Block", "ViT", "ViTConfig", "attention_rollout"]
