package tapipeline.handbook;

import java.net.URI;

/**
 * @param siteBaseUrl  base against which site-relative links (e.g. {@code /handbook/latest.pdf})
 *                     are made absolute in the PDF; part of the rendered bytes
 * @param validate     run veraPDF (PDF/UA-1 and PDF/A-2) on the result; costs seconds per flavour
 */
public record RenderOptions(URI siteBaseUrl, boolean validate) {

    public static final URI DEFAULT_SITE = URI.create("http://localhost:8080/");

    public RenderOptions {
        siteBaseUrl = siteBaseUrl == null ? DEFAULT_SITE : siteBaseUrl;
    }

    public static RenderOptions defaults() {
        return new RenderOptions(DEFAULT_SITE, false);
    }

    public RenderOptions withValidate(boolean v) {
        return new RenderOptions(siteBaseUrl, v);
    }
}
