"""The review's reference list for reference managers: CSL-JSON (Zotero, Mendeley, citeproc), BibTeX
(JabRef, LaTeX, most managers) and RIS (EndNote, Zotero, Mendeley, RefWorks).

Each entry keeps the review's number as its key (`ref-18`), so a trainee can match it to the
numbers the site cites. Journal abbreviations are as printed; `details` (volume(issue):pages, or a
place and publisher for a package insert) is split where it has that shape.
"""

from __future__ import annotations

import json
import re
from typing import Any

from ..schema import Reference

_DETAILS = re.compile(r"^(?P<volume>[^():;]+?)(?:\((?P<issue>[^)]*)\))?:(?P<pages>[^;\s]+)(?:;\s*(?P<note>.+))?$")


def split_details(details: str | None) -> dict[str, str]:
    """'376(9):836–847' -> volume 376, issue 9, pages 836–847 (and a `note` after ';'); {} for other shapes."""
    if not details:
        return {}
    m = _DETAILS.match(details.strip())
    if m is None:
        return {}
    return {k: v for k, v in m.groupdict().items() if v}


def initials(given: str) -> str:
    """Initials as printed ('JM', 'M-E') in the form reference managers read as initials ('J. M.',
    'M.-E.'); managers would otherwise take 'JM' for a first name and print it 'J.'."""
    if not re.fullmatch(r"[A-Z](?:-?[A-Z])*\.?", given):
        return given
    dotted = re.sub(r"([A-Z])(?!\.)", r"\1.", given)
    return re.sub(r"\.(?=[A-Z])", ". ", dotted)


def _package_insert(ref: Reference) -> bool:
    return ref.journal.lower() == "package insert"


def key(ref: Reference) -> str:
    return f"ref-{ref.number}"


def csl_item(ref: Reference, review: str) -> dict[str, Any]:
    """One reference as a CSL-JSON item."""
    item: dict[str, Any] = {
        "id": key(ref),
        "type": "document" if _package_insert(ref) else "article-journal",
        "title": ref.title,
        "issued": {"date-parts": [[ref.year]]},
        "note": f"Reference {ref.number} of {review}",
        "citation-number": ref.number,
    }
    if ref.authors:
        item["author"] = [{"family": a.family, "given": initials(a.given)} for a in ref.authors]
    if _package_insert(ref):
        item["genre"] = "Package insert"
        if ref.details:
            place, _, publisher = ref.details.partition(":")
            item["publisher-place"], item["publisher"] = place.strip(), publisher.strip() or place.strip()
    else:
        item["container-title"] = ref.journal
        item["container-title-short"] = ref.journal
        parts = split_details(ref.details)
        item.update({("page" if k == "pages" else k): v for k, v in parts.items() if k != "note"})
    if ref.doi:
        item["DOI"] = ref.doi
    return item


def to_csl_json(kb: Any) -> str:
    items = [csl_item(ref, kb.review.title) for _, ref in sorted(kb.references.items())]
    return json.dumps(items, indent=2, ensure_ascii=False) + "\n"


# --- BibTeX ---------------------------------------------------------------------------------------

_BIB_SPECIAL = re.compile(r"([&%$#_{}~^\\])")


def _bib(text: str) -> str:
    """A BibTeX field value in braces: TeX's special characters escaped, Unicode kept (biber, bibtexparser
    and reference managers read UTF-8)."""
    return _BIB_SPECIAL.sub(lambda m: "\\" + m.group(1) if m.group(1) not in "~^\\" else f"{{\\{m.group(1)}}}", text)


def _bib_name(family: str, given: str) -> str:
    # Braces keep a two-word family name ("Zur Stadt") from being split into first and last names.
    fam = _bib(family)
    fam = f"{{{fam}}}" if " " in family else fam
    return f"{fam}, {_bib(initials(given))}"


def to_bibtex(kb: Any) -> str:
    out = [f"% References of {kb.review.title}", "% Keys are the review's reference numbers (ref-N).", ""]
    for _, ref in sorted(kb.references.items()):
        fields: list[tuple[str, str]] = []
        if ref.authors:
            names = [_bib_name(a.family, a.given) for a in ref.authors]
            fields.append(("author", " and ".join([*names, "others"] if ref.et_al else names)))
        fields.append(("title", f"{{{_bib(ref.title)}}}"))  # double braces: keep the title's capitals
        if _package_insert(ref):
            kind = "misc"
            fields.append(("howpublished", "Package insert"))
            if ref.details:
                fields.append(("note", _bib(ref.details)))
        else:
            kind = "article"
            fields.append(("journal", _bib(ref.journal)))
            parts = split_details(ref.details)
            for name in ("volume", "issue", "pages"):
                if name in parts:
                    value = parts[name].replace("–", "--") if name == "pages" else parts[name]
                    fields.append(("number" if name == "issue" else name, _bib(value)))
            if ref.details and (not parts or "note" in parts):
                fields.append(("note", _bib(parts.get("note", ref.details))))
        fields.append(("year", str(ref.year)))
        if ref.doi:
            fields.append(("doi", ref.doi))
        body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
        out += [f"@{kind}{{{key(ref)},", body, "}", ""]
    return "\n".join(out)


# --- RIS ------------------------------------------------------------------------------------------


def _ris_line(tag: str, value: str) -> str:
    return f"{tag}  - {' '.join(value.split())}"


def to_ris(kb: Any) -> str:
    """RIS with CRLF line ends, as the format's specification has them."""
    lines: list[str] = []
    for _, ref in sorted(kb.references.items()):
        lines.append(_ris_line("TY", "GEN" if _package_insert(ref) else "JOUR"))
        lines.append(_ris_line("ID", key(ref)))
        lines += [_ris_line("AU", f"{a.family}, {initials(a.given)}") for a in ref.authors]
        lines.append(_ris_line("TI", ref.title))
        if _package_insert(ref):
            lines.append(_ris_line("M3", "Package insert"))
            if ref.details:
                place, _, publisher = ref.details.partition(":")
                lines.append(_ris_line("CY", place))
                if publisher:
                    lines.append(_ris_line("PB", publisher))
        else:
            lines.append(_ris_line("JO", ref.journal))
            parts = split_details(ref.details)
            if "volume" in parts:
                lines.append(_ris_line("VL", parts["volume"]))
            if "issue" in parts:
                lines.append(_ris_line("IS", parts["issue"]))
            if "pages" in parts:
                first, _, last = parts["pages"].partition("–")
                lines.append(_ris_line("SP", first))
                if last:
                    lines.append(_ris_line("EP", last))
            if ref.details and (not parts or "note" in parts):
                lines.append(_ris_line("N1", parts.get("note", ref.details)))
        lines.append(_ris_line("PY", str(ref.year)))
        if ref.doi:
            lines.append(_ris_line("DO", ref.doi))
        lines.append(_ris_line("N1", f"Reference {ref.number} of {kb.review.title}"))
        lines += ["ER  - ", ""]
    return "\r\n".join(lines)


def files(kb: Any) -> dict[str, str]:
    """The three files, named after the review: {name: text}."""
    stem = f"{kb.review.id}-references"
    return {f"{stem}.json": to_csl_json(kb), f"{stem}.bib": to_bibtex(kb), f"{stem}.ris": to_ris(kb)}
