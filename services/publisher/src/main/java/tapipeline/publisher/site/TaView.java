package tapipeline.publisher.site;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

import tapipeline.publisher.SiteState;

/** What a term's TA-assignments page shows: the (filtered) courses, the download links, other terms. */
public record TaView(TaAssignments.Term term, String path, List<TermLink> otherTerms) {

    public record TermLink(String label, String href) {
    }

    public String approvedOn() {
        return ProgramView.DAY.format(term.approvedAt());
    }

    public String jsonHref() {
        return path + ".json" + query();
    }

    public String csvHref() {
        return path + ".csv" + query();
    }

    private String query() {
        return term.query().isEmpty() ? "" : "?q=" + URLEncoder.encode(term.query(), StandardCharsets.UTF_8);
    }

    public static TaView of(SiteState state, TaAssignments.Term term) {
        List<TermLink> others = state.terms().stream().filter(t -> !t.equals(term.term()))
                .map(t -> new TermLink(t, SiteState.termUrl(t))).toList();
        return new TaView(term, SiteState.termUrl(term.term()), others);
    }
}
