"""Sign-up, donation and membership boxes: chrome that sits inside the article container.

A box is found from its *control*: a form with an e-mail field, a known newsletter or
donation plugin's container (``selectors.SIGNUP_CONTAINERS``), or a standalone button or
link that says "Subscribe", "Sign up", "Donate", "Join now"... (``selectors.SIGNUP_ACTION``).
From there the box grows to its ancestors while each adds only a short label or a short
pitch in sign-up vocabulary (``selectors.SIGNUP_PITCH``): the heading and "Get the day's
stories delivered to your inbox." a theme sets beside the plugin's form. It never grows into
a block holding the headline or a date, nor past ``tuning.SIGNUP_BOX_MAX_CHARS``.

Runs first in chrome removal: the generic rules drop buttons and small forms, which are
the controls this pass starts from.
"""

from __future__ import annotations

from selectolax.lexbor import LexborHTMLParser, LexborNode

from scraper.extract import selectors as sel
from scraper.extract import tuning
from scraper.extract.nodes import SKIPPED_TAGS, outermost
from scraper.extract.page_names import PageNames
from scraper.extract.text import clean

_CONTAINERS = ", ".join(sel.SIGNUP_CONTAINERS)
_BOUNDARY_TAGS = frozenset({"body", "html", "article", "main"})
_HEADINGS = frozenset({"h2", "h3", "h4", "h5", "h6"})
_KEEPS_OUT = "h1, time"
"""A box never holds the headline or a date (the date cascade reads the cleaned tree)."""


def remove_signup_boxes(tree: LexborHTMLParser, *, names: PageNames | None = None) -> None:
    """Drop every sign-up, donation or membership box from ``tree``, in place (``names``:
    the page's class and id names, when already read)."""
    root = tree.body
    if root is None:
        return
    boxes: dict[int, LexborNode] = {}
    for control in _controls(root, names):
        box = _grow(control)
        if box is None:
            continue
        for node in [box, *_pitches_beside(box)]:
            boxes.setdefault(node.mem_id, node)
    for box in outermost(list(boxes.values())):
        box.decompose()


def _controls(root: LexborNode, names: PageNames | None) -> list[LexborNode]:
    found = [form for form in root.css("form") if _asks_for_email(form)]
    containers = _CONTAINERS if names is None else names.narrow(sel.SIGNUP_CONTAINERS)
    if containers and root.css_first(containers) is not None:  # most pages have none
        found += root.css(containers)
    for node in root.css("a, button, input[type=submit]"):
        label = node.attributes.get("value") if node.tag == "input" else node.text(deep=True)
        label = clean(label).casefold()
        if len(label) <= tuning.SIGNUP_ACTION_MAX_CHARS and sel.SIGNUP_ACTION.match(label):
            found.append(_standalone(node))
    return found


def _asks_for_email(form: LexborNode) -> bool:
    for field in form.css("input"):
        attrs = field.attributes
        if (attrs.get("type") or "").lower() == "email":
            return True
        described = " ".join(attrs.get(key) or "" for key in ("name", "id", "placeholder"))
        if (attrs.get("type") or "text").lower() == "text" and sel.EMAIL_FIELD.search(described):
            return True
    return False


def _standalone(control: LexborNode) -> LexborNode:
    """The control with the wrappers that hold nothing else (a button block's divs)."""
    node = control
    size = len(clean(control.text(deep=True)))
    while node.parent is not None and node.parent.tag not in _BOUNDARY_TAGS:
        if len(clean(node.parent.text(deep=True))) > size:
            break
        node = node.parent
    return node


def _grow(control: LexborNode) -> LexborNode | None:
    """The box around ``control``; None when the control is a link inside prose."""
    box = control
    pitched = control.tag == "form" or control.css_matches(_CONTAINERS)
    while (parent := box.parent) is not None and parent.tag not in _BOUNDARY_TAGS:
        if parent.css_first(_KEEPS_OUT) is not None:
            break
        whole = clean(parent.text(deep=True))
        if len(whole) > tuning.SIGNUP_BOX_MAX_CHARS:
            break
        added = _text_beside(parent, box)
        is_pitch = bool(sel.SIGNUP_PITCH.search(added))
        if len(added) > tuning.SIGNUP_LABEL_CHARS and not is_pitch:
            break
        pitched = pitched or is_pitch
        box = parent
    if not pitched or box.css_first(_KEEPS_OUT) is not None:
        return None
    return box


def _pitches_beside(box: LexborNode) -> list[LexborNode]:
    """The short pitch blocks set just before or after the box, outside it ("Subscribe for
    more posts like this" above a plugin's form), and a short heading above those."""
    found: list[LexborNode] = []
    for step in ("prev", "next"):
        node = _element_sibling(box, step)
        for _ in range(tuning.SIGNUP_SIBLINGS):
            if node is None or node.css_first(_KEEPS_OUT) is not None:
                break
            text = clean(node.text(deep=True))
            pitch = len(text) <= tuning.SIGNUP_SIBLING_MAX_CHARS and sel.SIGNUP_PITCH.search(text)
            label = step == "prev" and node.tag in _HEADINGS and found and (
                len(text) <= tuning.SIGNUP_LABEL_CHARS
            )
            if not (pitch or label):
                break
            found.append(node)
            node = _element_sibling(node, step)
    return found


def _element_sibling(node: LexborNode, step: str) -> LexborNode | None:
    sibling = node.prev if step == "prev" else node.next
    while sibling is not None and not sibling.is_element_node:
        if clean(sibling.text()):
            return None  # loose text between: the box stands inside prose
        sibling = sibling.prev if step == "prev" else sibling.next
    return sibling


def _text_beside(parent: LexborNode, child: LexborNode) -> str:
    """The text ``parent`` holds outside ``child``."""
    parts = []
    for node in parent.iter(include_text=True):
        if node.mem_id == child.mem_id or node.tag in SKIPPED_TAGS:
            continue
        parts.append(node.text(deep=True) if node.is_element_node else node.text())
    return clean(" ".join(parts))

