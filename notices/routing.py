"""Routing a URL to a page deep in the tree in a fixed number of queries.

Wagtail's ``Page.route`` walks the URL one slug at a time: a query for the child and another for its
specific object at every level. A wizard step lies four levels below the site root (home → notices →
notice → form → ``apply/…``), so routing alone was eight queries and most of a step's server time under
a deadline rush. Every page stores its ``url_path``, so the pages a URL names are found at once, by the
URL's prefixes; the walk then resumes at the deepest of them, or earlier at any page whose class routes
on its own (a routable page's sub-URLs come before its children), so the result is what the slug walk
would give. The specific pages come from ``page_cache`` while their rows show them unchanged, and a page
reached so, with no alias above it, reads its view restrictions in one query (``KnownAncestryMixin``).
"""

from django.contrib.contenttypes.models import ContentType
from wagtail.models import Page, PageViewRestriction

from notices.page_cache import VERSION_FIELDS, route_pages


def routes_itself(model):
    """Whether ``model`` changes how URLs below it resolve (so routing must pass through it)."""
    return model is None or model.route not in (Page.route, DirectRouteMixin.route)


class KnownAncestryMixin:
    """A page that reads its and its ancestors' view restrictions in one query when routing saw no alias.

    Wagtail first reads the ancestors to replace any alias by its source page (one query), then their
    restrictions (another). The routing chain already holds each page's ``alias_of``, so when none is an
    alias the restrictions are those of the pages on the path, read by their tree paths.
    """

    def get_view_restrictions(self):
        if not self.__dict__.get("_route_without_aliases"):
            return super().get_view_restrictions()
        paths = [self.path[: n * self.steplen] for n in range(1, self.depth + 1)]
        return PageViewRestriction.objects.filter(page__path__in=paths)


class DirectRouteMixin(KnownAncestryMixin):
    """A page whose descendants are reached in three queries, whatever their depth."""

    def route(self, request, path_components):
        chain = self.get_route_chain(path_components)
        if not chain:
            return super().route(request, path_components)
        target = len(chain) - 1
        for index, (_pk, _path, content_type_id, _version, _alias) in enumerate(chain[:-1]):
            if routes_itself(self.get_route_model(content_type_id)):
                target = index
                break
        page = self.load_route_page(chain[target])
        if page is None:
            return super().route(request, path_components)
        # Page.route caches each parent on its child; a form page reads its notice this way.
        parent = self.load_route_page(chain[target - 1]) if target else self
        if parent is not None:
            page._cached_parent_obj = parent
        # Above the site root there is only the tree's root, which is never an alias.
        known = self.depth <= 2 or self.__dict__.get("_route_without_aliases", False)
        if known and self.alias_of_id is None and all(link[4] is None for link in chain[: target + 1]):
            page._route_without_aliases = True
            if parent is not None:
                parent._route_without_aliases = True
        return page.route(request, path_components[target + 1 :])

    def get_route_chain(self, path_components):
        """Return ``[(pk, path, content type id, version, alias_of)]`` of the pages the URL's prefixes name.

        ``version`` holds the row's ``VERSION_FIELDS``: a page routed to before with the same values is
        reused (see ``page_cache``).
        """
        if not path_components:
            return []
        prefixes = [
            self.url_path + "/".join(path_components[:n]) + "/" for n in range(1, len(path_components) + 1)
        ]
        rows = {
            row[3]: row
            for row in Page.objects.filter(
                url_path__in=prefixes, path__startswith=self.path, depth__gt=self.depth
            ).values_list(
                "pk", "path", "depth", "url_path", "content_type_id", "alias_of_id", *VERSION_FIELDS
            )
        }
        chain, parent_path = [], self.path
        for depth, prefix in enumerate(prefixes, start=self.depth + 1):
            row = rows.get(prefix)
            # Each link must be a child of the one before, as the slug walk would find it.
            if row is None or row[2] != depth or not row[1].startswith(parent_path):
                break
            chain.append((row[0], row[1], row[4], row[6:], row[5]))
            parent_path = row[1]
        return chain

    def get_route_model(self, content_type_id):
        """Return the page class of a content type (from Django's content-type cache, no query)."""
        return ContentType.objects.get_for_id(content_type_id).model_class()

    def load_route_page(self, link):
        """Return the specific page of a chain link, or None when its class is gone."""
        pk, _path, content_type_id, version, _alias = link
        model = self.get_route_model(content_type_id)
        if model is None:
            return None
        return route_pages.get((pk, content_type_id, version), lambda: model.objects.filter(pk=pk).first())
