"""The site: the repository rendered as Markdown pages (`render`), made safe (`sanitise`), and built
into HTML by MkDocs with the Material theme (`build`, `mkdocs_config`)."""

from generator.site.build import BuildResult, SiteBuildError, build_site

__all__ = ["BuildResult", "SiteBuildError", "build_site"]
