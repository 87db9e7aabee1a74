package tapipeline.platform.web;

import java.util.List;

import gg.jte.Content;

/**
 * What templates see of the request: the site, the page's meta, the signed-in user (or null), the
 * navigation visible to that user and the CSRF token. The layout gets it as {@code page}; a service
 * template gets it as the parameter {@code web} if it declares one ({@code @param WebPage web}).
 */
public final class WebPage {

    private final Site site;
    private final PageMeta meta;
    private final WebUser user;
    private final String path;
    private final java.util.function.Supplier<String> csrf;
    private String csrfToken;

    WebPage(Site site, PageMeta meta, WebUser user, String path, java.util.function.Supplier<String> csrf) {
        this.site = site;
        this.meta = meta;
        this.user = user;
        this.path = path;
        this.csrf = csrf;
    }

    public String siteName() {
        return site.name();
    }

    public String lang() {
        return site.lang();
    }

    public String home() {
        return site.home();
    }

    public String title() {
        return meta.title();
    }

    public PageMeta meta() {
        return meta;
    }

    /** The signed-in user, or null. */
    public WebUser user() {
        return user;
    }

    public boolean signInEnabled() {
        return site.needsSignIn();
    }

    /** The navigation items this caller may open. */
    public List<NavItem> nav() {
        return site.nav().stream()
                .filter(n -> n.access().isPublic() || (user != null && user.has(n.access()))).toList();
    }

    public boolean current(NavItem item) {
        return item.path().equals(path);
    }

    /** The CSRF token of this caller's session (creating an anonymous session if there is none). */
    public String csrfToken() {
        if (csrfToken == null) {
            csrfToken = csrf.get();
        }
        return csrfToken;
    }

    /** The hidden form field every mutating form needs: {@code ${web.csrfField()}}. */
    public Content csrfField() {
        String token = csrfToken();
        return out -> {
            out.writeContent("<input type=\"hidden\" name=\"" + Web.CSRF_FIELD + "\" value=\"");
            out.writeUserContent(token);
            out.writeContent("\">");
        };
    }
}
