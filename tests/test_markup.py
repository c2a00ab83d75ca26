import markdown
import pytest

from generator import markup


def test_raw_html_and_template_syntax_become_text():
    out = markup.escape_prose('<script>alert(1)</script> {{ x }} {: onclick="y"}')
    assert "<" not in out and "{" not in out
    assert "&lt;script&gt;" in out and "&#123;&#123; x &#125;&#125;" in out


def test_markdown_survives_in_prose():
    assert markup.escape_prose("**bold** and [a link](https://example.org)") == (
        "**bold** and [a link](https://example.org)"
    )


HOSTILE_PROSE = [
    "[x](javascript:alert(1))",
    "[x](javascript&colon;alert(1))",
    "[x](&#106;avascript:alert(1))",
    "[x](java&#9;script:alert(1))",
    "[x](data&colon;text/html,hi)",
    "[x]( JAVASCRIPT:alert(1))",
    "See [x][p] now.\n\n[p]: javascript:alert(1)",
    "See [x][p].\n\n   [p]: data:text/html,hi",
    "![](https://tracker.example/pixel.gif)",
    "Wow![[t]]",
    "Text.\n\n*[CRS]: hijacked",
]


@pytest.mark.parametrize("text", HOSTILE_PROSE)
def test_the_checks_and_the_renderer_both_stop_hostile_links(text):
    """The check reports each; and were it bypassed, the renderer still emits no unsafe link, no
    image and no definition (judged on the HTML Markdown makes, entities decoded)."""
    assert markup.link_problems(text) != [] or text == "Wow![[t]]"
    md = markdown.Markdown(extensions=["abbr"])
    rendered = md.convert(markup.render_prose(text, lambda target, label: f"[{label or target}](../{target}/)"))
    found = markup._Emitted()
    found.feed(rendered)
    assert found.images == []
    assert all(markup.safe_url(url) or url == "#" or url.startswith("../") for url in found.links), found.links
    assert "<abbr" not in rendered and "hijacked" not in (md.abbrs if hasattr(md, "abbrs") else {})


def test_safe_links_pass():
    assert markup.link_problems("[a](https://example.org) and [b](mailto:x@example.org) and [[t]]") == []


def test_cross_links_are_listed_and_resolved():
    text = "See [[tower]] and [[tower/cr|the CR rate]]."
    assert list(markup.links_in(text)) == [("tower", None), ("tower/cr", "the CR rate")]
    rendered = markup.render_prose(text, lambda target, label: f"<{target}:{label}>")
    assert rendered == "See <tower:None> and <tower/cr:the CR rate>."


def test_plain_text_cannot_carry_markup():
    out = markup.escape_plain("A | B *c* [d](e) <b> {x}")
    assert "|" not in out.replace("&#124;", "")
    assert "<b>" not in out and "\\*c\\*" in out and "\\[d\\]" in out


def test_plain_text_entities_stay_intact():
    out = markup.escape_plain("investigator's {x} | #1 & <b>")
    assert "&\\#" not in out
    assert out == "investigator's &#123;x&#125; &#124; \\#1 &amp; &lt;b&gt;"


def test_the_last_check_on_a_page_finds_scripts_handlers_script_urls_and_loads_from_elsewhere():
    """The plugin's final look at each generated page's HTML (should the data checks ever miss one)."""
    bad = (
        '<script>x</script><a href="java&#9;script:alert(1)">a</a><img src="https://tracker.example/p.gif">'
        '<p onclick="x">p</p><iframe src="x"></iframe><div style="background:url(https://x.example/i.png)">d</div>'
    )
    found = markup.unsafe_html(bad)
    assert len(found) == 6, found
    good = (
        '<a href="../tower/" title="a > b">x</a><a href="https://doi.org/10.1/x">d</a>'
        '<svg xmlns="http://www.w3.org/2000/svg"></svg><img src="../chart.png">'
    )
    assert markup.unsafe_html(good) == []
