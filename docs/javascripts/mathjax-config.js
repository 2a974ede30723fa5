// MathJax 3, served from assets/mathjax/ (copied there at build time by hooks/mathjax.py).
// Markdown pages hand math over as \( \) and \[ \] (pymdownx.arithmatex, generic mode);
// notebook markdown cells keep $ and $$. Only the site's chrome is skipped.
window.MathJax = {
  tex: {
    inlineMath: [["\\(", "\\)"], ["$", "$"]],
    displayMath: [["\\[", "\\]"], ["$$", "$$"]],
    processEscapes: true,
    processEnvironments: true,
  },
  options: {
    ignoreHtmlClass: "md-header|md-tabs|md-sidebar|md-footer|md-search|md-nav|tex2jax_ignore",
  },
};

document$.subscribe(() => {
  if (window.MathJax.typesetPromise) {
    MathJax.startup.output.clearCache();
    MathJax.typesetClear();
    MathJax.texReset();
    MathJax.typesetPromise();
  }
});
