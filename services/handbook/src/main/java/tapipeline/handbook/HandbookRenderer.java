package tapipeline.handbook;

import com.openhtmltopdf.bidi.support.ICUBidiSplitter;
import com.openhtmltopdf.extend.FSCacheEx;
import com.openhtmltopdf.extend.FSCacheValue;
import com.openhtmltopdf.extend.impl.FSDefaultCacheStore;
import com.openhtmltopdf.outputdevice.helper.BaseRendererBuilder.FontStyle;
import com.openhtmltopdf.outputdevice.helper.BaseRendererBuilder.TextDirection;
import com.openhtmltopdf.pdfboxout.PDFontSupplier;
import com.openhtmltopdf.pdfboxout.PdfBoxRenderer;
import com.openhtmltopdf.pdfboxout.PdfRendererBuilder;
import com.openhtmltopdf.util.XRLog;
import org.apache.pdfbox.cos.COSArray;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSString;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentInformation;
import org.apache.pdfbox.pdmodel.common.PDMetadata;
import org.apache.pdfbox.pdmodel.font.PDFont;
import org.apache.pdfbox.pdmodel.font.PDType0Font;
import org.apache.fontbox.ttf.TrueTypeFont;
import org.apache.xmpbox.XMPMetadata;
import org.apache.xmpbox.schema.DublinCoreSchema;
import org.apache.xmpbox.schema.XMPBasicSchema;
import org.apache.xmpbox.xml.DomXmpParser;
import org.apache.xmpbox.xml.XmpParsingException;
import org.apache.xmpbox.xml.XmpSerializer;
import tapipeline.handbook.fonts.FontSet;
import tapipeline.handbook.fonts.TextPolicy;
import tapipeline.handbook.json.HandbookJson;
import tapipeline.handbook.model.ContentCheck;
import tapipeline.handbook.model.ProgramContent;
import tapipeline.handbook.model.TermAssignment;
import tapipeline.handbook.render.HandbookDocument;
import tapipeline.handbook.render.RtlReorderer;
import tapipeline.handbook.validate.PdfValidator;
import tapipeline.schemas.assignment.AssignmentApproved;
import tapipeline.schemas.handbook.HandbookContent;

import java.awt.color.ColorSpace;
import java.awt.color.ICC_Profile;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Calendar;
import java.util.GregorianCalendar;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.TimeZone;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.xml.transform.TransformerException;

/**
 * Renders the program handbook as a tagged PDF/UA-1 and PDF/A-2a file with openhtmltopdf on
 * Apache PDFBox 3. The same inputs give the same bytes: the creation date comes from the inputs
 * (the later of the content's {@code updatedAt} and the approval's {@code approvedAt}) and the
 * trailer /ID from a hash of the inputs.
 *
 * <p>Thread-safe: the fonts are parsed once per {@link FontSet} and shared; renders that use the
 * same {@code FontSet} run one at a time (layout is single-threaded anyway). For parallel renders
 * use renderers with their own {@code FontSet}.
 */
public final class HandbookRenderer {

    /** Bumped when the layout changes, so a new renderer gives a new /ID for the same inputs. */
    public static final String LAYOUT_VERSION = "handbook-layout-3";
    public static final String PRODUCER = "tapipeline handbook (openhtmltopdf, Apache PDFBox)";

    /** openhtmltopdf logs every resource at INFO; kept as a field so the level setting is not garbage-collected. */
    private static final Logger ENGINE_LOG = Logger.getLogger("com.openhtmltopdf");

    static {
        ENGINE_LOG.setLevel(Level.WARNING);
        for (String name : XRLog.listRegisteredLoggers()) {
            XRLog.setLevel(name, Level.WARNING);
        }
    }

    private final FontSet fonts;
    private final byte[] srgb;
    /** Font metrics shared across renders (keyed by the suppliers' cache keys), so each render does not re-read them. */
    private final FSCacheEx<String, FSCacheValue> fontMetrics = new FSDefaultCacheStore();

    public HandbookRenderer() {
        this(FontSet.load());
    }

    public HandbookRenderer(FontSet fonts) {
        this.fonts = fonts;
        this.srgb = ICC_Profile.getInstance(ColorSpace.CS_sRGB).getData();
    }

    /**
     * Renders the shipped sample once and discards it, so the first real render does not pay for
     * class loading and JIT (about 2 s for the sample, 5 s for a 1,500-course handbook in a cold JVM).
     */
    public void warmUp() {
        render(SchemaMapping.sampleContent(), Optional.of(SchemaMapping.sampleApproval()));
    }

    /** Renders from the event payloads (what the Kafka service calls); see {@link SchemaMapping}. */
    public RenderResult render(HandbookContent content, Optional<AssignmentApproved> approval) {
        return render(content, approval, RenderOptions.defaults());
    }

    public RenderResult render(HandbookContent content, Optional<AssignmentApproved> approval, RenderOptions options) {
        return render(SchemaMapping.toModel(content), approval.map(SchemaMapping::toModel), options);
    }

    public RenderResult render(ProgramContent content, Optional<TermAssignment> assignment) {
        return render(content, assignment, RenderOptions.defaults());
    }

    /**
     * @throws InvalidHandbookException naming the field, when the inputs cannot make a handbook
     */
    public RenderResult render(ProgramContent content, Optional<TermAssignment> assignment, RenderOptions options) {
        ContentCheck.check(content);
        assignment.ifPresent(ContentCheck::check);
        String inputHash = inputHash(content, assignment, options);

        TextPolicy text = new TextPolicy(fonts);
        HandbookDocument.Built built = new HandbookDocument(text, options.siteBaseUrl()).build(content, assignment);

        byte[] pdf;
        int pages;
        synchronized (fonts) {
            try (PDDocument doc = new PDDocument()) {
                PdfRendererBuilder builder = new PdfRendererBuilder()
                        .useFastMode()
                        .usePdfUaAccessibility(true)
                        .usePdfAConformance(PdfRendererBuilder.PdfAConformance.PDFA_2_A)
                        .useColorProfile(srgb)
                        .withProducer(PRODUCER)
                        .useCacheStore(PdfRendererBuilder.CacheStore.PDF_FONT_METRICS, fontMetrics)
                        .usePDDocument(doc)
                        .withW3cDocument(built.dom(), options.siteBaseUrl().toString());
                registerFonts(builder, doc, text.needsCjk());
                if (text.needsBidi()) {
                    // Unicode bidi (ICU4J) puts right-to-left runs in visual order and shapes Arabic
                    // letters into their joined presentation forms; Latin-only renders skip it.
                    builder.useUnicodeBidiSplitter(new ICUBidiSplitter.ICUBidiSplitterFactory())
                            .useUnicodeBidiReorderer(new RtlReorderer())
                            .defaultTextDirection(TextDirection.LTR);
                }
                try (PdfBoxRenderer renderer = builder.buildPdfRenderer()) {
                    renderer.layout();
                    renderer.createPDFWithoutClosing();
                    makeReproducible(doc, fixedDate(content, assignment), inputHash);
                    pages = doc.getNumberOfPages();
                    ByteArrayOutputStream out = new ByteArrayOutputStream(1 << 16);
                    doc.save(out);
                    pdf = out.toByteArray();
                }
            } catch (IOException e) {
                throw new UncheckedIOException("rendering the handbook failed", e);
            }
        }
        ValidationReport validation = options.validate() ? PdfValidator.validate(pdf) : ValidationReport.notChecked();
        return new RenderResult(pdf, sha256Hex(pdf), pages, text.missingGlyphs(), validation, inputHash);
    }

    private void registerFonts(PdfRendererBuilder builder, PDDocument doc, boolean cjk) {
        SharedFont regular = new SharedFont(doc, fonts.regularFont());
        SharedFont bold = new SharedFont(doc, fonts.boldFont());
        builder.useFont(regular, FontSet.SANS, 400, FontStyle.NORMAL, true);
        builder.useFont(bold, FontSet.SANS, 700, FontStyle.NORMAL, true);
        builder.useFont(regular, FontSet.SANS_FALLBACK, 400, FontStyle.NORMAL, true);
        builder.useFont(regular, FontSet.SANS_FALLBACK, 700, FontStyle.NORMAL, true);
        if (cjk) {
            SharedFont cjkFont = new SharedFont(doc, fonts.cjkFont());
            builder.useFont(cjkFont, FontSet.CJK, 400, FontStyle.NORMAL, true);
            builder.useFont(cjkFont, FontSet.CJK, 700, FontStyle.NORMAL, true);
        }
    }

    /** Loads a shared, already parsed font into this render's document on first use, embedded as a subset. */
    private static final class SharedFont extends PDFontSupplier {
        private final PDDocument doc;
        private final TrueTypeFont ttf;
        private PDFont font;

        SharedFont(PDDocument doc, TrueTypeFont ttf) {
            super(null);
            this.doc = doc;
            this.ttf = ttf;
        }

        @Override
        public PDFont supply() {
            if (font == null) {
                try {
                    font = PDType0Font.load(doc, ttf, true);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot load a shipped font", e);
                }
            }
            return font;
        }
    }

    /** The later of the content's update and the approval; the epoch when neither is known. */
    static Instant fixedDate(ProgramContent content, Optional<TermAssignment> assignment) {
        Instant d = content.updatedAt() == null ? Instant.EPOCH : content.updatedAt();
        Instant approved = assignment.map(TermAssignment::approvedAt).orElse(null);
        if (approved != null && approved.isAfter(d)) {
            d = approved;
        }
        return d.truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    }

    /**
     * Replaces the clock-derived dates (Info and XMP) and the /ID with values derived from the inputs.
     * The XMP packet is parsed and written back with xmpbox: every date the layout engine put in it
     * (xmp:CreateDate, and xmp:ModifyDate, xmp:MetadataDate and dc:date where present; the pdf schema
     * holds none) gets the fixed date, and the Info dictionary's dates match them, as PDF/A asks.
     */
    static void makeReproducible(PDDocument doc, Instant date, String inputHash) throws IOException {
        Calendar cal = new GregorianCalendar(TimeZone.getTimeZone("UTC"), Locale.ROOT);
        cal.setTimeInMillis(date.toEpochMilli());
        PDDocumentInformation info = doc.getDocumentInformation();
        info.setCreationDate(cal);
        if (info.getModificationDate() != null) {
            info.setModificationDate(cal);
        }

        PDMetadata metadata = doc.getDocumentCatalog().getMetadata();
        if (metadata != null) {
            XMPMetadata xmp;
            try {
                xmp = new DomXmpParser().parse(metadata.toByteArray());
            } catch (XmpParsingException e) {
                throw new IOException("the layout engine wrote XMP metadata that cannot be parsed: " + e.getMessage(), e);
            }
            XMPBasicSchema basic = xmp.getXMPBasicSchema();
            if (basic == null || basic.getCreateDate() == null) {
                throw new IOException("the layout engine wrote no xmp:CreateDate to replace");
            }
            basic.setCreateDate(cal);
            if (basic.getModifyDate() != null) {
                basic.setModifyDate(cal);
            }
            if (basic.getMetadataDate() != null) {
                basic.setMetadataDate(cal);
            }
            DublinCoreSchema dc = xmp.getDublinCoreSchema();
            List<Calendar> dcDates = dc == null ? null : dc.getDates();
            if (dcDates != null && !dcDates.isEmpty()) {
                for (Calendar old : List.copyOf(dcDates)) {
                    dc.removeDate(old);
                }
                dc.addDate(cal);
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
            try {
                new XmpSerializer().serialize(xmp, out, true);
            } catch (TransformerException e) {
                throw new IOException("cannot write the XMP metadata back: " + e.getMessage(), e);
            }
            metadata.importXMPMetadata(out.toByteArray());
        }
        byte[] id = HexFormat.of().parseHex(inputHash.substring(0, 32));
        COSArray ids = new COSArray();
        ids.add(new COSString(id));
        ids.add(new COSString(id));
        doc.getDocument().getTrailer().setItem(COSName.ID, ids);
        doc.setDocumentId(new java.math.BigInteger(1, java.util.Arrays.copyOf(id, 8)).longValue());
    }

    static String inputHash(ProgramContent content, Optional<TermAssignment> assignment, RenderOptions options) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(LAYOUT_VERSION.getBytes(StandardCharsets.UTF_8));
            md.update((byte) 0);
            md.update(options.siteBaseUrl().toString().getBytes(StandardCharsets.UTF_8));
            md.update((byte) 0);
            md.update(HandbookJson.canonical(content));
            md.update((byte) 0);
            md.update(HandbookJson.canonical(assignment.orElse(null)));
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String sha256Hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
