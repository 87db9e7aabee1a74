package tapipeline.handbook.render;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import tapipeline.handbook.fonts.FontSet;
import tapipeline.handbook.fonts.TextPolicy;
import tapipeline.handbook.model.ProgramContent;
import tapipeline.handbook.model.TermAssignment;

import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Builds the handbook as an XHTML DOM for the layout engine. Every input string goes through
 * {@link TextPolicy#clean} and enters the DOM only as a text node or attribute value, never as
 * markup, so names such as {@code <script>} or {@code </td>} print as typed.
 */
public final class HandbookDocument {

    static final String XHTML = "http://www.w3.org/1999/xhtml";
    private static final DateTimeFormatter DATE =
            DateTimeFormatter.ofPattern("d MMMM uuuu", Locale.ENGLISH).withZone(ZoneOffset.UTC);

    /** One top-level section: its anchor id and heading, for the contents page and the outline. */
    public record Section(String id, String title, List<Section> children) {}

    private final TextPolicy text;
    private final URI siteBase;
    private Document doc;
    private final List<Section> sections = new ArrayList<>();

    public HandbookDocument(TextPolicy text, URI siteBase) {
        this.text = text;
        this.siteBase = siteBase;
    }

    /** The result: the DOM, plus the document metadata the PDF needs. */
    public record Built(Document dom, String title, String subject, String author, List<Section> sections) {}

    public Built build(ProgramContent c, Optional<TermAssignment> assignment) {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setNamespaceAware(true);
            doc = f.newDocumentBuilder().newDocument();
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException(e);
        }
        String name = text.clean(c.name(), "content.name");
        String degree = text.clean(c.degree(), "content.degree");
        String campus = text.clean(c.campus(), "content.campus");
        String edition = text.clean(c.edition(), "content.edition");
        String term = assignment.map(a -> text.clean(a.term(), "assignment.term")).orElse("");

        Element html = el(null, "html");
        html.setAttribute("lang", "en");
        html.setAttributeNS("http://www.w3.org/XML/1998/namespace", "xml:lang", "en");
        doc.appendChild(html);
        Element head = el(html, "head");
        Element body = el(html, "body");

        String title = name + " \u2014 Program Handbook" + (edition.isEmpty() ? "" : ", " + edition);
        String subject = "Program handbook for the " + (degree.isEmpty() ? name : degree)
                + (campus.isEmpty() ? "" : " (" + campus + ")")
                + ": overview, learning outcomes, curriculum, policies, contacts"
                + (term.isEmpty() ? "" : " and teaching assistant assignments for " + term) + ".";
        String author = name + " program office";
        txt(el(head, "title"), title);
        meta(head, "subject", subject);
        meta(head, "author", author);
        meta(head, "description", subject);
        meta(head, "keywords", "handbook, " + name + (term.isEmpty() ? "" : ", " + term));

        cover(body, c, name, degree, campus, edition, term);
        Element toc = el(body, "div", "toc");
        overview(body, c);
        outcomes(body, c);
        curriculum(body, c);
        policies(body, c);
        contacts(body, c);
        links(body, c);
        tas(body, assignment, term);
        contents(toc);

        Element style = el(head, "style");
        style.setTextContent(Css.stylesheet(text.needsCjk(), name, edition.isEmpty() ? term : edition));
        Element marks = el(head, "bookmarks");
        for (Section s : sections) {
            Element b = el(marks, "bookmark");
            b.setAttribute("name", s.title());
            b.setAttribute("href", "#" + s.id());
            for (Section child : s.children()) {
                Element cb = el(b, "bookmark");
                cb.setAttribute("name", child.title());
                cb.setAttribute("href", "#" + child.id());
            }
        }
        return new Built(doc, title, subject, author, List.copyOf(sections));
    }

    private void cover(Element body, ProgramContent c, String name, String degree, String campus,
                       String edition, String term) {
        Element cover = el(body, "div", "cover");
        Element h1 = el(cover, "h1", "cover-title");
        h1.setAttribute("id", "top");
        txt(h1, name);
        if (!degree.isEmpty()) {
            txt(el(cover, "p", "cover-degree"), degree);
        }
        if (!campus.isEmpty()) {
            txt(el(cover, "p", "cover-campus"), campus);
        }
        Element facts = el(cover, "p", "cover-facts");
        List<String> parts = new ArrayList<>();
        if (c.totalUnits() > 0) {
            parts.add(number(c.totalUnits()) + " units");
        }
        if (c.semesters() > 0) {
            parts.add(c.semesters() + (c.semesters() == 1 ? " semester" : " semesters"));
        }
        txt(facts, String.join(" \u00B7 ", parts));
        txt(el(cover, "p", "cover-edition"), "Program handbook" + (edition.isEmpty() ? "" : ", edition " + edition));
        if (!term.isEmpty()) {
            txt(el(cover, "p", "cover-term"), "Teaching assistant assignments: " + term);
        }
        if (c.updatedAt() != null) {
            txt(el(cover, "p", "cover-date"), "Updated " + DATE.format(c.updatedAt()));
        }
    }

    private void contents(Element toc) {
        Element h = el(toc, "h2");
        h.setAttribute("id", "contents");
        txt(h, "Contents");
        Element list = el(toc, "ul", "toc-list");
        for (Section s : sections) {
            Element li = el(list, "li");
            Element a = el(li, "a", "toc-link");
            a.setAttribute("href", "#" + s.id());
            a.setAttribute("title", "Go to " + s.title());
            txt(a, s.title());
        }
    }

    private Element section(Element body, String id, String title, List<Section> children) {
        Element h2 = el(body, "h2");
        h2.setAttribute("id", id);
        txt(h2, title);
        sections.add(new Section(id, title, children));
        return h2;
    }

    private void overview(Element body, ProgramContent c) {
        section(body, "overview", "Program overview", List.of());
        if (c.overview().isEmpty()) {
            none(body);
        }
        for (int i = 0; i < c.overview().size(); i++) {
            paragraphs(body, c.overview().get(i), "content.overview[" + i + "]");
        }
    }

    private void outcomes(Element body, ProgramContent c) {
        section(body, "outcomes", "Learning outcomes", List.of());
        if (c.outcomes().isEmpty()) {
            none(body);
            return;
        }
        txt(el(body, "p"), "Graduates of the program will be able to:");
        Element ol = el(body, "ol", "outcomes");
        for (int i = 0; i < c.outcomes().size(); i++) {
            blockText(el(ol, "li"), text.clean(c.outcomes().get(i), "content.outcomes[" + i + "]"));
        }
    }

    private void curriculum(Element body, ProgramContent c) {
        List<Section> children = new ArrayList<>();
        section(body, "curriculum", "Curriculum and degree requirements", children);
        List<String> facts = new ArrayList<>();
        if (c.totalUnits() > 0) {
            facts.add("The degree requires " + number(c.totalUnits()) + " units");
        }
        if (c.semesters() > 0) {
            facts.add((facts.isEmpty() ? "The program runs over " : "over ") + c.semesters()
                    + (c.semesters() == 1 ? " semester" : " semesters"));
        }
        if (!facts.isEmpty()) {
            txt(el(body, "p"), String.join(" ", facts) + ".");
        }
        var curriculum = c.curriculum();
        if (curriculum.requirements().isEmpty() && curriculum.semesters().isEmpty()) {
            none(body);
            return;
        }
        if (!curriculum.requirements().isEmpty()) {
            Section req = new Section("requirements", "Degree requirements", List.of());
            children.add(req);
            h3(body, req);
            Element ul = el(body, "ul");
            for (int i = 0; i < curriculum.requirements().size(); i++) {
                blockText(el(ul, "li"), text.clean(curriculum.requirements().get(i),
                        "content.curriculum.requirements[" + i + "]"));
            }
        }
        for (int i = 0; i < curriculum.semesters().size(); i++) {
            var sem = curriculum.semesters().get(i);
            String p = "content.curriculum.semesters[" + i + "]";
            String semName = text.clean(sem.name(), p + ".name");
            Section s = new Section("semester-" + (i + 1), semName.isEmpty() ? "Semester " + (i + 1) : semName, List.of());
            children.add(s);
            h3(body, s);
            if (sem.courses().isEmpty()) {
                none(body);
                continue;
            }
            Element table = el(body, "table", "courses");
            colgroup(table, 18, 67, 15);
            headerRow(table, "Course", "Title", "Units");
            Element tbody = el(table, "tbody");
            double units = 0;
            for (int j = 0; j < sem.courses().size(); j++) {
                var course = sem.courses().get(j);
                String q = p + ".courses[" + j + "]";
                Element tr = el(tbody, "tr");
                txt(el(tr, "td"), text.clean(course.code(), q + ".code"));
                inlineText(el(tr, "td"), text.clean(course.title(), q + ".title"));
                txt(el(tr, "td", "num"), number(course.units()));
                units += course.units();
            }
            Element tr = el(tbody, "tr", "total");
            txt(el(tr, "td"), "");
            txt(el(tr, "td"), "Semester total");
            txt(el(tr, "td", "num"), number(units));
        }
    }

    private void policies(Element body, ProgramContent c) {
        List<Section> children = new ArrayList<>();
        section(body, "policies", "Policies", children);
        if (c.policies().isEmpty()) {
            none(body);
        }
        for (int i = 0; i < c.policies().size(); i++) {
            var pol = c.policies().get(i);
            String t = text.clean(pol.title(), "content.policies[" + i + "].title");
            Section s = new Section("policy-" + (i + 1), t.isEmpty() ? "Policy " + (i + 1) : t, List.of());
            children.add(s);
            h3(body, s);
            paragraphs(body, pol.body(), "content.policies[" + i + "].body");
        }
    }

    private void contacts(Element body, ProgramContent c) {
        section(body, "contacts", "Contacts", List.of());
        if (c.contacts().isEmpty()) {
            none(body);
            return;
        }
        Element table = el(body, "table", "contacts");
        colgroup(table, 34, 30, 36);
        headerRow(table, "Role", "Name", "Email");
        Element tbody = el(table, "tbody");
        for (int i = 0; i < c.contacts().size(); i++) {
            var k = c.contacts().get(i);
            String p = "content.contacts[" + i + "]";
            Element tr = el(tbody, "tr");
            inlineText(el(tr, "td"), text.clean(k.role(), p + ".role"));
            inlineText(el(tr, "td"), text.clean(k.name(), p + ".name"));
            Element td = el(tr, "td");
            String email = text.clean(k.email(), p + ".email");
            if (email.matches("[^\\s@<>\"]+@[^\\s@<>\"]+")) {
                Element a = el(td, "a");
                a.setAttribute("href", "mailto:" + email);
                a.setAttribute("title", "Email " + email);
                txt(a, email);
            } else {
                txt(td, email);
            }
        }
    }

    private void links(Element body, ProgramContent c) {
        section(body, "links", "Helpful links", List.of());
        if (c.links().isEmpty()) {
            none(body);
            return;
        }
        Element ul = el(body, "ul", "links");
        for (int i = 0; i < c.links().size(); i++) {
            var l = c.links().get(i);
            String p = "content.links[" + i + "]";
            String label = text.clean(l.label(), p + ".label");
            String url = text.clean(l.url(), p + ".url");
            Element li = el(ul, "li");
            Optional<String> target = linkTarget(url, siteBase);
            if (target.isPresent()) {
                Element a = el(li, "a");
                a.setAttribute("href", target.get());
                a.setAttribute("title", (label.isEmpty() ? target.get() : label) + " (" + target.get() + ")");
                txt(a, label.isEmpty() ? target.get() : label);
                txt(el(li, "span", "url"), target.get());
            } else {
                txt(li, label.isEmpty() ? url : label);
                if (!url.isEmpty()) {
                    txt(el(li, "span", "url"), url);
                }
            }
        }
    }

    private void tas(Element body, Optional<TermAssignment> assignment, String term) {
        Element h2 = section(body, "ta-assignments",
                "Teaching assistant assignments" + (term.isEmpty() ? "" : ", " + term), List.of());
        if (assignment.isEmpty()) {
            txt(el(body, "p"), "No approved teaching assistant assignment has been published for this edition.");
            return;
        }
        TermAssignment a = assignment.get();
        int positions = a.courses().stream().mapToInt(x -> x.tas().size()).sum();
        StringBuilder intro = new StringBuilder();
        intro.append(a.courses().size()).append(a.courses().size() == 1 ? " course, " : " courses, ")
                .append(positions).append(positions == 1 ? " teaching assistant position" : " teaching assistant positions");
        if (a.approvedAt() != null) {
            intro.append("; approved on ").append(DATE.format(a.approvedAt()));
        }
        intro.append(". Hours are per week.");
        txt(el(body, "p"), intro.toString());
        if (a.courses().isEmpty()) {
            txt(el(body, "p"), "The approved assignment lists no courses.");
            return;
        }
        // the table's section starts on a fresh page, and rows are placed on pages here so none is split
        h2.setAttribute("class", "new-page");
        RowBreaks breaks = new RowBreaks(new LineEstimator(text.fonts()), intro.toString());
        Element table = el(body, "table", "tas");
        colgroup(table, TA_COLUMNS);
        headerRow(table, TA_HEADINGS);
        Element tbody = el(table, "tbody");
        for (int i = 0; i < a.courses().size(); i++) {
            var course = a.courses().get(i);
            String p = "assignment.courses[" + i + "]";
            String code = text.clean(course.code(), p + ".code");
            String title = text.clean(course.title(), p + ".title");
            String section = text.clean(course.section(), p + ".section");
            String instructor = text.clean(course.instructor(), p + ".instructor");
            List<String> tas = new ArrayList<>();
            List<String> taNames = new ArrayList<>();
            List<String> taHours = new ArrayList<>();
            for (int j = 0; j < course.tas().size(); j++) {
                var ta = course.tas().get(j);
                String n = text.clean(ta.name(), p + ".tas[" + j + "].name");
                taNames.add(n.isEmpty() ? "(name not published)" : n);
                taHours.add(" \u2014 " + number(ta.hours()) + " h");
                tas.add(taNames.get(j) + taHours.get(j));
            }
            Element tr = el(tbody, "tr");
            if (breaks.startsNewPage((code + " " + title).trim(), section, instructor, tas)) {
                tr.setAttribute("class", "break");
            }
            Element first = el(tr, "td");
            if (!code.isEmpty()) {
                txt(el(first, "span", "code"), code);
                if (!title.isEmpty()) {
                    txt(first, " ");
                }
            }
            inlineText(first, title);
            txt(el(tr, "td"), section);
            inlineText(el(tr, "td"), instructor);
            Element cell = el(tr, "td");
            if (tas.isEmpty()) {
                txt(el(cell, "div", "none"), "No TA assigned");
            }
            for (int j = 0; j < tas.size(); j++) {
                Element div = el(cell, "div", "ta");
                if (TextPolicy.rtlLanguage(taNames.get(j)).isEmpty()) {
                    txt(div, tas.get(j)); // one text run, as the engine tags and draws it cheapest
                } else {
                    inlineText(div, taNames.get(j));
                    txt(div, taHours.get(j));
                }
            }
        }
    }

    private static final int[] TA_COLUMNS = {40, 10, 20, 30};
    private static final String[] TA_HEADINGS = {"Course", "Section", "Instructor", "Teaching assistants (hours)"};

    /**
     * Decides which TA-table rows start a new page, from estimated row heights, so that rows are
     * never split (the layout engine does not honour {@code page-break-inside: avoid} on rows of a
     * paginated table). Assumes the table's section starts on a fresh page.
     */
    static final class RowBreaks {
        /** Section heading block (margins, 16pt line, rule) and the intro paragraph's margins, in points. */
        private static final float HEADING_BLOCK = 50f;
        private static final float PARAGRAPH_MARGINS = 20f;
        private static final float FILL = 0.985f;

        private final LineEstimator lines;
        private final float[] widths = new float[TA_COLUMNS.length];
        private final float pageBudget;
        private float limit;
        private float used;

        RowBreaks(LineEstimator lines, String intro) {
            this.lines = lines;
            for (int i = 0; i < TA_COLUMNS.length; i++) {
                widths[i] = Css.CONTENT_WIDTH * TA_COLUMNS[i] / 100f - Css.CELL_EXTRA_X;
            }
            int headerLines = 1;
            for (int i = 0; i < TA_HEADINGS.length; i++) {
                headerLines = Math.max(headerLines, lines.lines(TA_HEADINGS[i], widths[i], Css.HEADER_FONT, true));
            }
            float header = headerLines * Css.HEADER_LINE + Css.CELL_EXTRA_Y;
            float introHeight = lines.lines(intro, Css.CONTENT_WIDTH, 10f, false) * 14f + PARAGRAPH_MARGINS;
            this.pageBudget = (Css.CONTENT_HEIGHT - header) * FILL;
            this.limit = (Css.CONTENT_HEIGHT - HEADING_BLOCK - introHeight - header) * FILL;
        }

        boolean startsNewPage(String course, String section, String instructor, List<String> tas) {
            int n = lines.lines(course, widths[0], Css.TA_FONT, true);
            n = Math.max(n, lines.lines(section, widths[1], Css.TA_FONT, false));
            n = Math.max(n, lines.lines(instructor, widths[2], Css.TA_FONT, false));
            int taLines = 0;
            for (String t : tas) {
                taLines += lines.lines(t, widths[3], Css.TA_FONT, false);
            }
            n = Math.max(n, Math.max(1, taLines));
            float height = n * Css.TA_LINE + Css.CELL_EXTRA_Y;
            boolean breakBefore = used > 0 && used + height > limit;
            if (breakBefore) {
                used = 0;
                limit = pageBudget;
            }
            used += height;
            return breakBefore;
        }
    }

    static String number(double h) {
        if (h == Math.rint(h)) {
            return Long.toString((long) h);
        }
        return String.format(Locale.ROOT, "%.1f", h);
    }

    /** Absolute http(s) and mailto links are kept; site paths resolve against the site base; anything else is not linked. */
    static Optional<String> linkTarget(String url, URI base) {
        if (url == null || url.isBlank()) {
            return Optional.empty();
        }
        try {
            URI u = new URI(escapeIllegal(url.trim()));
            String scheme = u.getScheme();
            if (scheme == null) {
                if (u.getPath() == null || u.getPath().isEmpty()) {
                    return Optional.empty();
                }
                return Optional.of(base.resolve(u).toASCIIString());
            }
            scheme = scheme.toLowerCase(Locale.ROOT);
            if (scheme.equals("http") || scheme.equals("https") || scheme.equals("mailto")) {
                return Optional.of(u.toASCIIString());
            }
            return Optional.empty();
        } catch (URISyntaxException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** Percent-encodes characters a URI may not contain (spaces, angle brackets, quotes, non-ASCII...). */
    static String escapeIllegal(String url) {
        StringBuilder out = new StringBuilder(url.length());
        for (byte b : url.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
            int c = b & 0xFF;
            if (c <= 0x20 || c >= 0x7F || "<>\"{}|\\^`".indexOf(c) >= 0) {
                out.append('%').append(String.format(Locale.ROOT, "%02X", c));
            } else {
                out.append((char) c);
            }
        }
        return out.toString();
    }

    private void h3(Element body, Section s) {
        Element h3 = el(body, "h3");
        h3.setAttribute("id", s.id());
        blockText(h3, s.title());
    }

    private void paragraphs(Element parent, String value, String field) {
        if (value == null) {
            return;
        }
        for (String para : value.split("\\R\\s*\\R")) {
            String clean = text.clean(para, field);
            if (!clean.isEmpty()) {
                blockText(el(parent, "p"), clean);
            }
        }
    }

    private void none(Element body) {
        txt(el(body, "p", "none"), "Not provided in this edition.");
    }

    private void colgroup(Element table, int... percents) {
        Element cg = el(table, "colgroup");
        for (int p : percents) {
            el(cg, "col").setAttribute("style", "width: " + p + "%");
        }
    }

    private void headerRow(Element table, String... headings) {
        Element thead = el(table, "thead");
        Element tr = el(thead, "tr");
        for (String h : headings) {
            Element th = el(tr, "th");
            th.setAttribute("scope", "col");
            txt(th, h);
        }
    }

    private void meta(Element head, String name, String content) {
        Element m = el(head, "meta");
        m.setAttribute("name", name);
        m.setAttribute("content", content);
    }

    private Element el(Element parent, String name) {
        Element e = doc.createElementNS(XHTML, name);
        if (parent != null) {
            parent.appendChild(e);
        }
        return e;
    }

    private Element el(Element parent, String name, String cssClass) {
        Element e = el(parent, name);
        e.setAttribute("class", cssClass);
        return e;
    }

    /**
     * Appends text; an empty value adds no node (it would show nothing, and the engine's bidi pass
     * fails on a paragraph whose only text is empty, e.g. an empty table cell).
     */
    private void txt(Element e, String value) {
        if (!value.isEmpty()) {
            e.appendChild(doc.createTextNode(value));
        }
    }

    /**
     * Block text that may be right-to-left: when its first strong letter is (HTML's {@code dir="auto"}
     * rule), the block gets {@code dir="rtl"} (base direction, so punctuation lands where a reader of
     * that script expects it) and, when the script names one, its {@code lang} (the structure
     * element's /Lang, for screen readers).
     */
    private void blockText(Element e, String value) {
        if (TextPolicy.startsRtl(value)) {
            e.setAttribute("dir", "rtl");
            lang(e, TextPolicy.rtlLanguage(value));
        }
        txt(e, value);
    }

    /**
     * Inline text (a name, a title in a table cell): a value written wholly in one right-to-left
     * script becomes a span with {@code dir="rtl"} and its {@code lang}; the cell keeps its
     * left-to-right layout, and the engine's bidi algorithm orders the letters.
     */
    private void inlineText(Element parent, String value) {
        String lang = TextPolicy.rtlLanguage(value);
        if (lang.isEmpty()) {
            txt(parent, value);
            return;
        }
        Element span = el(parent, "span");
        span.setAttribute("dir", "rtl");
        lang(span, lang);
        // the engine makes no structure element (so no /Lang) for an inline box holding just one
        // text run directly in a line; one nested inside another inline box does get one
        Element inner = el(span, "span");
        lang(inner, lang);
        txt(inner, value);
    }

    private static void lang(Element e, String lang) {
        if (!lang.isEmpty()) {
            e.setAttribute("lang", lang);
            e.setAttributeNS("http://www.w3.org/XML/1998/namespace", "xml:lang", lang);
        }
    }
}
