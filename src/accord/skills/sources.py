"""The public data Accord ships or was measured with, and the attribution each requires.

One place: the "About data sources" page renders this list, and a test checks that NOTICE at the
repository root carries every attribution word for word.
"""

from dataclasses import dataclass
from typing import Final

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Source:
    name: str
    what: str | Promise
    used_for: str | Promise
    licence: str | Promise
    url: str
    attribution: str  # shown verbatim; required by the licence


ONET_ATTRIBUTION: Final = (
    "This product includes information from the O*NET 29.2 Database by the U.S. Department of "
    "Labor, Employment and Training Administration (USDOL/ETA). Used under the CC BY 4.0 "
    "license. O*NET® is a trademark of USDOL/ETA."
)
ESCO_ATTRIBUTION: Final = "This product uses the ESCO classification of the European Commission."

SOURCES: Final = (
    Source(
        name="O*NET 29.2 Database",
        what=_(
            "Technology skills (tools and technologies, with hot and in-demand flags), "
            "occupations and their alternate job titles."
        ),
        used_for=_(
            "The skills taxonomy: technologies found in resumes and briefs; job-title "
            "synonyms for matching. Accord modified and merged the data."
        ),
        licence="CC BY 4.0",
        url="https://www.onetcenter.org/database.html",
        attribution=ONET_ATTRIBUTION,
    ),
    Source(
        name="ESCO classification, v1.2.0",
        what=_(
            "Digital, transversal, language and green skill collections with their "
            "alternative labels."
        ),
        used_for=_(
            "The skills taxonomy: skills, knowledge, languages and transversal skills. "
            "Accord modified and merged the data."
        ),
        licence=_("ESCO reuse terms (European Commission)"),
        url="https://esco.ec.europa.eu/",
        attribution=ESCO_ATTRIBUTION,
    ),
    Source(
        name="SkillSpan",
        what=_(
            "Job-posting sentences annotated with skill and knowledge spans "
            "(Zhang et al., NAACL 2022)."
        ),
        used_for=_("Measuring skill extraction (not shipped)."),
        licence="MIT",
        url="https://github.com/kris927b/SkillSpan",
        attribution="Copyright (c) 2023 Mike Zhang",
    ),
    Source(
        name="JSON Resume",
        what=_("The JSON Resume schema for resumes and job descriptions."),
        used_for=_("Importing resumes written as JSON Resume and exporting briefs as jobs."),
        licence="MIT",
        url="https://jsonresume.org/",
        attribution="Copyright © 2024 JSON Resume",
    ),
    Source(
        name="Microsoft Skills Extractor job postings",
        what=_("A sample of real job postings."),
        used_for=_(
            "Telling common English words from product names when building the "
            "taxonomy (the postings are not shipped)."
        ),
        licence="MIT",
        url="https://github.com/microsoft/SkillsExtractorCognitiveSearch",
        attribution="Copyright (c) Microsoft Corporation. All rights reserved.",
    ),
)
