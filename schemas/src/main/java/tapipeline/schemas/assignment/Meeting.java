package tapipeline.schemas.assignment;

import java.time.LocalTime;
import java.util.regex.Pattern;
import tapipeline.schemas.support.Checks;

/**
 * A weekly time block: a course meeting, or a time an applicant is unavailable.
 *
 * @param day   day of the week
 * @param start start time, 24-hour {@code HH:mm}
 * @param end   end time, 24-hour {@code HH:mm}, strictly after {@code start}
 */
public record Meeting(Day day, String start, String end) {

    /** 24-hour {@code HH:mm}; the same pattern as {@code $defs/time} in the schema. */
    public static final Pattern TIME = Pattern.compile("([01][0-9]|2[0-3]):[0-5][0-9]");

    public Meeting {
        Checks.nonNull(day, "Meeting.day");
        Checks.matches(start, TIME, "Meeting.start");
        Checks.matches(end, TIME, "Meeting.end");
        if (start.compareTo(end) >= 0) {
            throw new IllegalArgumentException(
                    "Meeting.end (" + end + ") must be after Meeting.start (" + start + ")");
        }
    }

    public static Meeting of(Day day, String start, String end) {
        return new Meeting(day, start, end);
    }

    public LocalTime startTime() {
        return LocalTime.parse(start);
    }

    public LocalTime endTime() {
        return LocalTime.parse(end);
    }

    /** Length in minutes. */
    public int minutes() {
        return (endTime().toSecondOfDay() - startTime().toSecondOfDay()) / 60;
    }

    /** True when both blocks are on the same day and share at least one minute. */
    public boolean overlaps(Meeting other) {
        return day == other.day && start.compareTo(other.end) < 0 && other.start.compareTo(end) < 0;
    }

    @Override
    public String toString() {
        return day + " " + start + "-" + end;
    }
}
