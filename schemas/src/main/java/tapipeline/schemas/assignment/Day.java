package tapipeline.schemas.assignment;

import java.time.DayOfWeek;

/** Day of a weekly meeting, written as three capital letters in JSON. */
public enum Day {
    MON, TUE, WED, THU, FRI, SAT, SUN;

    public DayOfWeek toDayOfWeek() {
        return DayOfWeek.of(ordinal() + 1);
    }

    public static Day of(DayOfWeek day) {
        return values()[day.getValue() - 1];
    }
}
