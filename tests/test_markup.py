from generator import markup


def test_raw_html_and_template_syntax_become_text():
    out = markup.escape_prose('<script>alert(1)</script> {{ x }} {: onclick="y"}')
    assert "<" not in out and "{" not in out
    assert "&lt;script&gt;" in out and "&#123;&#123; x &#125;&#125;" in out


def test_markdown_survives_in_prose():
    assert markup.escape_prose("**bold** and [a link](https://example.org)") == (
        "**bold** and [a link](https://example.org)"
    )


def test_unsafe_link_schemes_are_found_and_neutralised():
    text = "[x](javascript:alert(1)) [y](https://ok.example) [z](data:text/html,hi)"
    assert markup.unsafe_urls(text) == ["javascript:alert(1", "data:text/html,hi"]
    assert "javascript" not in markup.neutralise_urls(text)


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
