"""Reading pages the way a person does: the visible text, without tags."""

import html
import re


def page_text(response) -> str:
    """The visible text of an HTML response, whitespace collapsed."""
    content = response.content.decode()
    content = re.sub(r"<script\b.*?</script>", " ", content, flags=re.S)
    content = re.sub(r"<style\b.*?</style>", " ", content, flags=re.S)
    text = html.unescape(re.sub(r"<[^>]+>", " ", content))
    return re.sub(r"\s+", " ", text).strip()


def section_text(response, testid: str) -> str:
    content = response.content.decode()
    match = re.search(
        rf'<(\w+)[^>]*data-testid="{testid}"[^>]*>(.*?)</\1>', content, flags=re.S
    )
    assert match, f"no element with data-testid={testid}"
    text = html.unescape(re.sub(r"<[^>]+>", " ", match.group(2)))
    return re.sub(r"\s+", " ", text).strip()


def content_of(response) -> bytes:
    """The bytes of a response, streamed (CSV, .xlsx downloads) or not."""
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def body_of(response) -> str:
    """Any response (HTML, CSV, streamed) as text; .xlsx as its cells' text."""
    if response.get("Content-Type", "").startswith("application/vnd.openxmlformats"):
        return xlsx_text(content_of(response))
    return content_of(response).decode("utf-8-sig")


def xlsx_rows(content: bytes) -> dict[str, list[list]]:
    from io import BytesIO

    from openpyxl import load_workbook

    book = load_workbook(BytesIO(content))
    return {
        sheet.title: [list(row) for row in sheet.iter_rows(values_only=True)]
        for sheet in book.worksheets
    }


def xlsx_text(content: bytes) -> str:
    return "\n".join(
        "\t".join("" if v is None else str(v) for v in row)
        for rows in xlsx_rows(content).values()
        for row in rows
    )
