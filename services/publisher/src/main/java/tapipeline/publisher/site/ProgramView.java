package tapipeline.publisher.site;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import tapipeline.publisher.SiteState;
import tapipeline.publisher.changes.EditionChanges;
import tapipeline.schemas.handbook.HandbookContent;
import tapipeline.schemas.handbook.HandbookRendered;
import tapipeline.schemas.site.SiteLink;

/**
 * What the program page shows: the program's content, its helpful links with their current targets,
 * the current handbook edition (the one the handbook link points at) and the earlier verified ones,
 * each with what changed since the one before.
 */
public record ProgramView(HandbookContent content, List<LinkView> links, EditionView current, List<EditionView> earlier) {

    static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("d MMMM yyyy", Locale.ENGLISH).withZone(ZoneOffset.UTC);

    public record LinkView(String label, String href, String note) {
    }

    public record EditionView(String edition, String term, String publishedOn, int pages, long size, boolean pdfUa1,
                              boolean pdfA2, String url, List<EditionChanges.Change> changes) {
        public String sizeText() {
            return size >= 1024 * 1024 ? String.format(Locale.ROOT, "%.1f MB", size / (1024.0 * 1024))
                    : String.format(Locale.ROOT, "%d kB", Math.max(1, Math.round(size / 1024.0)));
        }
    }

    public String unitsText() {
        return units(content.totalUnits()) + " units";
    }

    /** "12 units", "1 unit". */
    public String unitsOf(double u) {
        return units(u) + (u == 1 ? " unit" : " units");
    }

    public String units(double u) {
        return u == Math.rint(u) ? Long.toString((long) u) : Double.toString(u);
    }

    /** The page of the site's program, if its content is known. */
    public static Optional<ProgramView> of(SiteState state) {
        Optional<String> program = state.siteProgram();
        Optional<HandbookContent> content = program.flatMap(state::content);
        if (content.isEmpty()) {
            return Optional.empty();
        }
        HandbookContent c = content.get();
        List<LinkView> links = new ArrayList<>();
        for (HandbookContent.Link l : c.links()) {
            Optional<SiteLink> link = state.link(l.id());
            String href = link.map(state::shownTarget).orElse(l.url());
            String label = link.map(SiteLink::label).orElse(l.label());
            String note = null;
            if (href.startsWith("/handbook/editions/")) {
                note = state.editionBySha(href.substring("/handbook/editions/".length()).replace(".pdf", ""))
                        .map(e -> "PDF, edition " + e.rendered().edition()).orElse("PDF");
            } else if (href.startsWith("/ta-assignments/")) {
                String slug = href.substring("/ta-assignments/".length());
                note = state.termBySlug(slug).orElse(null);
            }
            links.add(new LinkView(label, href, note));
        }
        List<SiteState.Edition> verified = state.editions(c.programId()).stream()
                .filter(e -> e.status() == SiteState.Status.VERIFIED).toList();
        String currentUrl = state.link(SiteState.HANDBOOK_LINK).map(state::shownTarget).orElse("");
        EditionView current = null;
        List<EditionView> earlier = new ArrayList<>();
        for (int i = verified.size() - 1; i >= 0; i--) {
            SiteState.Edition e = verified.get(i);
            Optional<HandbookRendered> previous = i == 0 ? Optional.empty() : Optional.of(verified.get(i - 1).rendered());
            EditionView v = view(e, EditionChanges.between(state, previous, e.rendered()));
            if (current == null && e.url().equals(currentUrl)) {
                current = v;
            } else {
                earlier.add(v);
            }
        }
        return Optional.of(new ProgramView(c, links, current, earlier));
    }

    private static EditionView view(SiteState.Edition e, List<EditionChanges.Change> changes) {
        HandbookRendered r = e.rendered();
        return new EditionView(r.edition(), r.term(), DAY.format(e.writtenAt()), r.pages(), r.size(),
                r.validation().pdfUa1(), r.validation().pdfA2(), e.url(), changes);
    }
}
