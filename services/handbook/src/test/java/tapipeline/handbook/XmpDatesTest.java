package tapipeline.handbook;

import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.common.PDMetadata;
import org.apache.xmpbox.XMPMetadata;
import org.apache.xmpbox.schema.DublinCoreSchema;
import org.apache.xmpbox.schema.XMPBasicSchema;
import org.apache.xmpbox.xml.DomXmpParser;
import org.apache.xmpbox.xml.XmpSerializer;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.Calendar;
import java.util.GregorianCalendar;
import java.util.TimeZone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The renderer's date edit on an XMP packet that holds every clock date a layout engine may write
 * (the engine in use writes only xmp:CreateDate, which ReproducibilityTest covers end to end).
 */
class XmpDatesTest {

    private static final Instant FIXED = Instant.parse("2026-08-20T15:00:00Z");
    private static final String HASH = "ab".repeat(32);

    @Test
    void everyXmpDateAndTheInfoDatesBecomeTheFixedDate() throws Exception {
        Calendar clock = utc(Instant.parse("2031-01-02T03:04:05Z"));
        try (PDDocument doc = new PDDocument()) {
            XMPMetadata xmp = XMPMetadata.createXMPMetadata();
            XMPBasicSchema basic = xmp.createAndAddXMPBasicSchema();
            basic.setCreateDate(clock);
            basic.setModifyDate(clock);
            basic.setMetadataDate(clock);
            DublinCoreSchema dc = xmp.createAndAddDublinCoreSchema();
            dc.addDate(clock);
            dc.addTitle("x-default", "kept as it is");
            attach(doc, xmp);
            doc.getDocumentInformation().setModificationDate(clock);

            HandbookRenderer.makeReproducible(doc, FIXED, HASH);

            XMPMetadata back = new DomXmpParser().parse(doc.getDocumentCatalog().getMetadata().toByteArray());
            XMPBasicSchema b = back.getXMPBasicSchema();
            assertThat(b.getCreateDate().toInstant()).isEqualTo(FIXED);
            assertThat(b.getModifyDate().toInstant()).isEqualTo(FIXED);
            assertThat(b.getMetadataDate().toInstant()).isEqualTo(FIXED);
            assertThat(back.getDublinCoreSchema().getDates()).singleElement()
                    .extracting(Calendar::toInstant).isEqualTo(FIXED);
            assertThat(back.getDublinCoreSchema().getTitle()).isEqualTo("kept as it is");
            assertThat(doc.getDocumentInformation().getCreationDate().toInstant()).isEqualTo(FIXED);
            assertThat(doc.getDocumentInformation().getModificationDate().toInstant()).isEqualTo(FIXED);
        }
    }

    @Test
    void datesTheEngineDidNotWriteAreNotAdded() throws Exception {
        try (PDDocument doc = new PDDocument()) {
            XMPMetadata xmp = XMPMetadata.createXMPMetadata();
            xmp.createAndAddXMPBasicSchema().setCreateDate(utc(Instant.now()));
            attach(doc, xmp);

            HandbookRenderer.makeReproducible(doc, FIXED, HASH);

            XMPMetadata back = new DomXmpParser().parse(doc.getDocumentCatalog().getMetadata().toByteArray());
            assertThat(back.getXMPBasicSchema().getCreateDate().toInstant()).isEqualTo(FIXED);
            assertThat(back.getXMPBasicSchema().getModifyDate()).isNull();
            assertThat(back.getDublinCoreSchema()).isNull();
            assertThat(doc.getDocumentInformation().getModificationDate()).isNull();
        }
    }

    @Test
    void packetWithoutCreateDateIsAnError() throws Exception {
        try (PDDocument doc = new PDDocument()) {
            XMPMetadata xmp = XMPMetadata.createXMPMetadata();
            xmp.createAndAddDublinCoreSchema().addTitle("x-default", "no dates");
            attach(doc, xmp);
            assertThatThrownBy(() -> HandbookRenderer.makeReproducible(doc, FIXED, HASH))
                    .isInstanceOf(IOException.class).hasMessageContaining("xmp:CreateDate");
        }
    }

    private static void attach(PDDocument doc, XMPMetadata xmp) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new XmpSerializer().serialize(xmp, out, true);
        PDMetadata metadata = new PDMetadata(doc);
        metadata.importXMPMetadata(out.toByteArray());
        doc.getDocumentCatalog().setMetadata(metadata);
    }

    private static Calendar utc(Instant instant) {
        Calendar cal = new GregorianCalendar(TimeZone.getTimeZone("UTC"));
        cal.setTimeInMillis(instant.toEpochMilli());
        return cal;
    }
}
