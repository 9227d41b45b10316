"""Keyboard focus (issue 11, item 28): after a site is chosen the focus is on the step's next
action, not lost to the page; every control shows the same focus ring, at least 3:1 against
what is around it; the code typeaheads are ARIA comboboxes driven by the arrow keys."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.test_case_build import field, start_request

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def luminance(rgb: tuple[float, float, float]) -> float:
    def channel(c):
        c /= 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a, b) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


# The focused element's outline and the colour behind it (its nearest opaque ancestor's
# background, the outline being drawn outside the element).
RING = """() => {
  const el = document.activeElement, s = getComputedStyle(el);
  let bg = 'rgb(255, 255, 255)';
  for (let p = el.parentElement; p; p = p.parentElement) {
    const c = getComputedStyle(p).backgroundColor;
    if (c !== 'rgba(0, 0, 0, 0)' && c !== 'transparent') { bg = c; break; }
  }
  return {what: el.outerHTML.slice(0, 90), style: s.outlineStyle,
          width: parseFloat(s.outlineWidth), color: s.outlineColor, behind: bg};
}"""


def rgb(css: str) -> tuple[float, float, float]:
    return tuple(float(n) for n in re.findall(r"[\d.]+", css)[:3])


def rings(page, tabs: int) -> list[dict]:
    seen = []
    for _ in range(tabs):
        page.keyboard.press("Tab")
        ring = page.evaluate(RING)
        if not ring["what"].startswith("<body"):  # past the last control, to the browser's own
            seen.append(ring)
    return seen


def faint(seen: list[dict]) -> list[str]:
    return [
        f"{r['what']}: {r['style']} {r['width']}px {r['color']} on {r['behind']}"
        for r in seen
        if r["style"] in ("none", "hidden")
        or r["width"] < 2
        or contrast(rgb(r["color"]), rgb(r["behind"])) < 3
    ]


def test_every_control_has_one_visible_focus_ring(live_server, page, world):
    start_request(page, live_server)  # the nav, the provider step's selects, inputs, buttons
    page.keyboard.press("Escape")
    page.locator("body").focus()
    seen = rings(page, 30)
    styles = {(r["style"], r["width"], r["color"]) for r in seen}
    assert styles == {("solid", 3, "rgb(232, 89, 12)")}, seen
    assert any(r["what"].startswith("<select") for r in seen)
    assert any(r["what"].startswith("<input") for r in seen)
    assert any("nav-link" in r["what"] for r in seen)  # on the navy bar as on the page
    assert not faint(seen), faint(seen)


def test_choosing_a_site_puts_the_focus_on_continue(live_server, page, world):
    start_request(page, live_server)
    field(page, "Practitioner").select_option(value=str(world["doctor"].pk))
    field(page, "Health plan").select_option(label="Saguaro Blue Cross Blue Shield")
    page.get_by_role("button", name="Continue").click()
    field(page, "Patient ID").fill("SAG100200301")
    field(page, "Date of birth").fill("03/14/1971")
    field(page, "Patient last name").fill("Marsh")
    field(page, "Patient last name").press("Enter")
    page.wait_for_url(re.compile(r"/service/$"))
    field(page, "Procedure (CPT code)").fill("73721")
    field(page, "Laterality").select_option("left")
    field(page, "Primary diagnosis (ICD-10-CM)").fill("M25.562")
    field(page, "Primary diagnosis (ICD-10-CM)").press("Enter")
    page.wait_for_url(re.compile(r"/site/"))
    field(page, "Site name").fill("Camelback")
    field(page, "Zip").fill("85016")
    page.get_by_role("button", name="Search").click()
    select = page.get_by_role("button", name="Select Camelback Imaging Center")
    select.focus()
    page.keyboard.press("Enter")
    page.get_by_text("Selected site:").wait_for()
    buttons = page.locator(".wizard-buttons")
    expect(buttons.get_by_role("button", name="Continue", exact=True)).to_be_focused()


def test_the_code_typeahead_is_a_combobox(live_server, page, world):
    start_request(page, live_server)
    field(page, "Practitioner").select_option(value=str(world["doctor"].pk))
    field(page, "Health plan").select_option(label="Saguaro Blue Cross Blue Shield")
    page.get_by_role("button", name="Continue").click()
    field(page, "Patient ID").fill("SAG100200301")
    field(page, "Date of birth").fill("03/14/1971")
    field(page, "Patient last name").fill("Marsh")
    field(page, "Patient last name").press("Enter")
    page.wait_for_url(re.compile(r"/service/$"))

    box = page.get_by_role("combobox", name=re.compile(r"^Procedure \(CPT code\)"))
    expect(box).to_have_attribute("aria-expanded", "false")
    expect(box).to_have_attribute("aria-autocomplete", "list")
    box.fill("mri")
    listbox = page.get_by_role("listbox", name="Procedure codes")
    listbox.wait_for()
    expect(box).to_have_attribute("aria-expanded", "true")
    expect(box).to_have_attribute("aria-controls", listbox.get_attribute("id"))
    options = listbox.get_by_role("option")
    assert options.count() >= 2
    # Arrows move the active option; the focus stays in the box, as the pattern says.
    box.press("ArrowDown")
    first, second = options.nth(0), options.nth(1)
    expect(box).to_have_attribute("aria-activedescendant", first.get_attribute("id"))
    expect(first).to_have_attribute("aria-selected", "true")
    box.press("ArrowDown")
    expect(box).to_have_attribute("aria-activedescendant", second.get_attribute("id"))
    expect(first).to_have_attribute("aria-selected", "false")
    box.press("ArrowUp")
    expect(box).to_have_attribute("aria-activedescendant", first.get_attribute("id"))
    expect(box).to_be_focused()
    # Escape closes the list; typing opens it again; Enter picks the active option.
    box.press("Escape")
    expect(box).to_have_attribute("aria-expanded", "false")
    expect(box).not_to_have_attribute("aria-activedescendant", re.compile("."))
    box.fill("mri knee")
    page.locator("[data-code='73721']").wait_for()
    box.press("ArrowDown")
    code = first.get_attribute("data-code")
    box.press("Enter")
    expect(box).to_have_value(code)
    expect(box).to_have_attribute("aria-expanded", "false")
    expect(box).to_be_focused()
    expect(page).to_have_url(re.compile(r"/service/$"))  # Enter picked, it did not continue
