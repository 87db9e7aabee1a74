package tapipeline.schemas.offers;

import tapipeline.schemas.support.Checks;

/** One course of an offer, frozen when the offer is made: what the TA is asked to accept. */
public record OfferLine(String courseId, String code, String title, String section, String instructor,
                        int hours, String duties) {

    public OfferLine {
        Checks.id(courseId, "OfferLine.courseId");
        Checks.text(code, "OfferLine.code");
        Checks.text(title, "OfferLine.title");
        Checks.anyText(section, "OfferLine.section");
        Checks.anyText(instructor, "OfferLine.instructor");
        Checks.range(hours, 1, 60, "OfferLine.hours");
        Checks.anyText(duties, "OfferLine.duties");
    }
}
