"""Take the README screenshots from a running portal with demo data (`make run` in another shell).

.venv/bin/python scripts/screenshots.py [http://127.0.0.1:8000]
"""

import re
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

BASE = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000"
OUT = Path(__file__).resolve().parents[1] / "docs" / "screenshots"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def label(page, text):
    return page.get_by_label(re.compile(r"^\s*" + re.escape(text) + r"\s*\*?\s*$"))


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        page.goto(BASE + "/accounts/login/")
        page.screenshot(path=OUT / "login.png")
        label(page, "User ID").fill("office.admin")
        label(page, "Password").fill("precert-demo-2026")
        label(page, "I agree to the HIPAA disclosure").check()
        page.get_by_role("button", name="Log in").click()
        page.get_by_role("heading", name=re.compile("Welcome")).wait_for()
        page.screenshot(path=OUT / "home.png")
        page.goto(BASE + "/account/")
        page.screenshot(path=OUT / "manage-account.png")
        npi = page.get_by_role("row").nth(1).get_by_role("cell").nth(1).inner_text()
        page.goto(BASE + "/account/practitioners/add/")
        label(page, "Practitioner NPI").fill(npi)
        label(page, "Practitioner state").select_option("AZ")
        label(page, "Practitioner zip").fill("85016")
        page.get_by_role("button", name="Find matches").click()
        page.screenshot(path=OUT / "add-practitioner.png")
        page.goto(BASE + "/eligibility/")
        label(page, "Health plan").select_option(label="Saguaro Blue Cross Blue Shield")
        label(page, "Patient ID").fill("SAG100200301")
        label(page, "Date of birth").fill("1971-03-14")
        label(page, "Procedure code (CPT)").fill("73721")
        page.get_by_role("button", name="Eligibility lookup").click()
        page.screenshot(path=OUT / "eligibility.png", full_page=True)
        page.goto(BASE + "/pathways/mri-knee/")
        page.get_by_role("group", name=re.compile("^Is this request to evaluate")).get_by_label(
            "No"
        ).check()
        page.get_by_role("group", name=re.compile("main reason")).get_by_label(
            "Knee pain without a recent injury"
        ).check()
        page.get_by_role("group", name=re.compile("x-rays of the knee been taken")).get_by_label(
            "Yes"
        ).check()
        page.get_by_role("group", name=re.compile("What did the x-rays show")).get_by_label(
            "Mild or moderate arthritis"
        ).check()
        page.get_by_role("group", name=re.compile("Which of these does the patient")).get_by_label(
            "None of these"
        ).check()
        page.get_by_label(re.compile("For how many weeks")).fill("3")
        page.get_by_role("group", name=re.compile("change management")).get_by_label("Yes").check()
        page.get_by_role("group", name=re.compile("Are any of these present")).get_by_label(
            "None of these"
        ).check()
        page.get_by_role("button", name="Check criteria").click()
        page.locator("#pathway-outcome").wait_for()
        page.screenshot(path=OUT / "pathway-needs-review.png")
        browser.close()
    print(f"Screenshots written to {OUT}")


if __name__ == "__main__":
    main()
