"""The report: one self-contained HTML file with PNG figures from each part's own plots."""

from scomodel.report.build import build_report

__all__ = ["build_report"]
