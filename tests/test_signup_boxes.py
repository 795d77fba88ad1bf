"""Sign-up, donation and membership boxes inside the article container are chrome: each
shape below (written for these tests in the markup common plugins and themes use) must
leave the body, and the story must stay whole."""

from __future__ import annotations

import pytest

from scraper.extract import extract_article
from tests.ferry_story import STORY, URL

PITCH = "Get the day's top harbour stories delivered to your inbox."
DONATE = "Our reporting is free for everyone because readers chip in. Give once or monthly."
MEMBER = "Members get early access to our river guides and a printed annual."

BOXES = {
    # MailPoet block: the pitch inside the plugin's form, fields in mailpoet_paragraph divs
    "mailpoet": f"""<div class="wp-block-mailpoet-subscription-form-block">
<div class="mailpoet_form mailpoet_form_html" id="mp_form_3">
<form target="_self" method="post" class="mailpoet_form mailpoet_form_form" novalidate>
<h2 class="mailpoet-heading">Harbour Business Daily</h2>
<p class="mailpoet_form_paragraph">{PITCH}</p>
<div class="mailpoet_paragraph"><input type="email" class="mailpoet_text"
 name="data[form_field_one]" placeholder="Email Address *"></div>
<div class="mailpoet_paragraph"><input type="submit" class="mailpoet_submit" value="Sign Up">
</div></form></div></div>""",
    # MailPoet shortcode after a paragraph block with the pitch, in one group
    "mailpoet-pitch-outside": f"""<div class="wp-block-group"><h3>Harbour Business Daily</h3>
<p>{PITCH}</p><div class="mailpoet_form"><form class="mailpoet_form_form">
<input type="email" name="data[email]"><input type="submit" value="Subscribe!"></form></div>
</div>""",
    # Mailchimp's embedded form
    "mailchimp-embed": f"""<div id="mc_embed_shell"><div id="mc_embed_signup">
<form action="https://list.example/subscribe/post?u=1" method="post" name="mc-embedded-form"
 class="validate" target="_blank"><div id="mc_embed_signup_scroll"><h2>{PITCH}</h2>
<div class="indicates-required"><span class="asterisk">*</span> indicates required</div>
<div class="mc-field-group"><label for="mce-EMAIL">Email Address</label>
<input type="email" name="EMAIL" class="required email" id="mce-EMAIL"></div>
<div class="clear"><input type="submit" name="subscribe" class="button" value="Subscribe"></div>
</div></form></div></div>""",
    # Substack's subscribe widget: the caption outside the form
    "substack": f"""<div class="subscription-widget-wrap"><div class="subscription-widget">
<div class="preamble"><p class="cta-caption">Thanks for reading The Landing! {PITCH}</p></div>
<form class="subscription-widget-subscribe"><input type="email" class="email-input"
 name="email" placeholder="Type your email"><input type="submit" class="button primary"
 value="Subscribe"></form></div></div>""",
    # Substack's button block: a caption and a standalone "Subscribe now" link
    "substack-button": f"""<div class="captioned-button-wrap"><div class="preamble">
<p class="cta-caption">The Landing is a reader-supported publication. {PITCH}</p></div>
<p class="button-wrapper"><a class="button primary" href="/subscribe?utm=post">
<span>Subscribe now</span></a></p></div>""",
    # Jetpack's subscriptions block after a pitch paragraph
    "jetpack": f"""<p class="has-text-align-center">{PITCH}</p>
<div class="wp-block-jetpack-subscriptions__container"><form action="#" method="post"
 id="subscribe-blog"><p id="subscribe-email"><label for="subscribe-field">Type your email</label>
<input type="email" name="email" id="subscribe-field" placeholder="Type your email"></p>
<p id="subscribe-submit"><button type="submit">Subscribe</button></p></form></div>""",
    # a theme's own box: no plugin name, a form with an email input and a subscribe button
    "generic-form": f"""<section class="box box--accent"><h4>The Morning Landing</h4>
<p>{PITCH}</p><form action="/join" method="post"><label>Your e-mail
<input type="text" name="user_email" placeholder="you@example.org"></label>
<button type="submit">Sign up</button></form></section>""",
    # a donation ask: a heading, a short pitch and a "Donate" button, no form
    "donation": f"""<div class="wp-block-group cta"><h3>Support independent local journalism</h3>
<p>{DONATE}</p><div class="wp-block-buttons"><div class="wp-block-button">
<a class="wp-block-button__link" href="/donate/">Donate today</a></div></div></div>""",
    # a membership ask
    "membership": f"""<aside class="inline-promo"><p><strong>Become a member.</strong> {MEMBER}</p>
<p><a class="btn" href="/membership/">Join now</a></p></aside>""",
}
TEXTS = {
    "mailpoet": [PITCH, "Harbour Business Daily"],
    "mailpoet-pitch-outside": [PITCH, "Harbour Business Daily"],
    "mailchimp-embed": [PITCH, "indicates required", "Email Address"],
    "substack": [PITCH, "Thanks for reading"],
    "substack-button": [PITCH, "reader-supported", "Subscribe now"],
    "jetpack": [PITCH, "Type your email"],
    "generic-form": [PITCH, "The Morning Landing", "Your e-mail"],
    "donation": [DONATE, "Support independent local journalism", "Donate today"],
    "membership": [MEMBER, "Become a member", "Join now"],
}


def _page(box: str, *, at: int = 2) -> str:
    paragraphs = [f"<p>{p}</p>" for p in STORY]
    paragraphs.insert(at, box)
    return (
        "<html><head><title>Ferry to run every twenty minutes</title></head><body>"
        "<nav><a href='/'>Home</a></nav><article><h1>Ferry to run every twenty minutes</h1>"
        f"<div class='entry-content'>{''.join(paragraphs)}</div></article></body></html>"
    )


@pytest.mark.parametrize("shape", list(BOXES))
@pytest.mark.parametrize("at", [2, 4], ids=["mid", "end"])
def test_signup_box_inside_the_article_is_chrome(shape: str, at: int) -> None:
    body = extract_article(_page(BOXES[shape], at=at), URL).body
    for paragraph in STORY:
        assert paragraph in body
    for text in TEXTS[shape]:
        assert text not in body, text


def test_story_paragraphs_about_donations_and_newsletters_are_kept() -> None:
    lines = [
        "Residents can donate blankets at the town hall, the council said.",
        "The harbour board will send its newsletter to every household on the eastern bank.",
        "Finland applied to become a member of the ferry operators' association in May.",
    ]
    html = _page("".join(f"<p>{line}</p>" for line in lines))
    body = extract_article(html, URL).body
    for line in lines:
        assert line in body


def test_a_short_story_beside_a_signup_form_is_kept() -> None:
    story = STORY[0]
    html = (
        "<html><head><title>Ferry times</title></head><body><article><h1>Ferry times</h1>"
        f"<div class='entry-content'><p>{story}</p>{BOXES['generic-form']}</div></article>"
        "</body></html>"
    )
    body = extract_article(html, URL).body
    assert story in body
    assert PITCH not in body


@pytest.mark.parametrize(
    "pitch",
    [
        PITCH,
        "Support independent local journalism.",
        "Please support our nonprofit newsroom with a gift of any size.",
    ],
)
def test_a_pitch_left_without_its_form_is_dropped(pitch: str) -> None:
    body = extract_article(_page(f"<p>{pitch}</p>"), URL).body
    assert pitch not in body
    for paragraph in STORY:
        assert paragraph in body


def test_sentences_about_inboxes_and_journalism_in_the_story_are_kept() -> None:
    lines = [
        "The harbour board said complaints delivered to its inbox doubled in a year.",
        "Students who support local journalism projects can apply for the summer grant.",
    ]
    body = extract_article(_page("".join(f"<p>{line}</p>" for line in lines)), URL).body
    for line in lines:
        assert line in body
