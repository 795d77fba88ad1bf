"""A story page of ours with inline links everywhere a body holds them (paragraphs, a
sub-heading, nested list items, a quote, a table cell), relative, ``javascript:``,
``mailto:`` and in-page targets, a ``<pre>`` without ``<code>``; and its expected Markdown and
HTML with the links (tests/test_inline_links.py, tests/test_blocks_refill.py).
"""

from __future__ import annotations

URL = "https://port.example/2024/05/quay/"
PARA = ("The harbour board met on Tuesday to weigh the plan for the new quay, and the members"
        " spent most of the evening on the cost of dredging the channel.")
PAGE = f"""<!doctype html><html lang="en"><head><title>Quay plan approved | Port News</title>
<meta property="article:published_time" content="2024-05-02T09:00:00Z"></head><body>
<nav><a href="/">Home</a> <a href="/news/">News</a></nav>
<article><h1>Quay plan approved</h1>
<p>{PARA} The <a href="/docs/plan.pdf">full plan</a> is online, <a href="javascript:alert(1)">this
link</a> is not, <a href="#notes">the notes</a> stay on the page, and <a
href="mailto:desk@port.example">the desk</a> answers questions.</p>
<h2>What the <a href="https://board.example/members">board</a> said</h2>
<p>{PARA}</p>
<ul><li>A point with <a href="../first/">a relative link</a> in it</li>
<li>A second point<ul><li>nested, with <a href="https://other.example/n">a nested link</a></li>
<li>plain nested</li></ul></li></ul>
<blockquote><p>We are pleased, said the <a href="https://chair.example/">chair</a>.</p>
<p>The second line of the quote.</p></blockquote>
<table><tr><th>Item</th><th>Cost</th></tr>
<tr><td><a href="https://dredge.example/">Dredging</a> work</td><td>4 million</td></tr>
<tr><td>Quay wall</td><td>2 million</td></tr></table>
<pre>high  06:12
low   12:30</pre>
<p>{PARA} {PARA}</p>
</article><footer><a href="/about/">About</a></footer></body></html>"""

OPENING = (f"{PARA} The full plan is online, this link is not, the notes stay on the page, and"
           " the desk answers questions.")
LINKED_MD = f"""{PARA} The [full plan](https://port.example/docs/plan.pdf) is online, this \
link is not, the notes stay on the page, and [the desk](mailto:desk@port.example) answers \
questions.

## What the [board](https://board.example/members) said

{PARA}

- A point with [a relative link](https://port.example/2024/05/first/) in it
- A second point
  - nested, with [a nested link](https://other.example/n)
  - plain nested

> We are pleased, said the [chair](https://chair.example/).
>
> The second line of the quote.

| Item | Cost |
| --- | --- |
| [Dredging](https://dredge.example/) work | 4 million |
| Quay wall | 2 million |

```
high  06:12
low   12:30
```

{PARA} {PARA}"""

REL = 'rel="nofollow noopener"'
LINKED_HTML = f"""<p>{PARA} The <a href="https://port.example/docs/plan.pdf" {REL}>full \
plan</a> is online, this link is not, the notes stay on the page, and <a \
href="mailto:desk@port.example" {REL}>the desk</a> answers questions.</p>
<h2>What the <a href="https://board.example/members" {REL}>board</a> said</h2>
<p>{PARA}</p>
<ul><li>A point with <a href="https://port.example/2024/05/first/" {REL}>a relative link</a> \
in it</li><li>A second point<ul><li>nested, with <a href="https://other.example/n" {REL}>a \
nested link</a></li><li>plain nested</li></ul></li></ul>
<blockquote><p>We are pleased, said the <a href="https://chair.example/" {REL}>chair</a>.</p>\
<p>The second line of the quote.</p></blockquote>
<table><thead><tr><th>Item</th><th>Cost</th></tr></thead><tbody><tr><td><a \
href="https://dredge.example/" {REL}>Dredging</a> work</td><td>4 million</td></tr><tr><td>Quay \
wall</td><td>2 million</td></tr></tbody></table>
<pre><code>high  06:12
low   12:30</code></pre>
<p>{PARA} {PARA}</p>"""
