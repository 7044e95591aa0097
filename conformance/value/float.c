/* Conformance: rt_value_float, rt_value_as_float, rt_value_is_float (spec/ffi/value.sdn). */
#include <math.h>
#include <string.h>

#include "conformance/rtc.h"

static uint64_t bits_of(double d)
{
    uint64_t b;
    memcpy(&b, &d, sizeof b);
    return b;
}

RTC_TEST(value_float, encoding_is_bit_exact)
{
    cr_assert_eq(rt_value_float(1.0), UINT64_C(0x3FF0000000000002));
    cr_assert_eq(rt_value_float(-2.5), (bits_of(-2.5) & ~UINT64_C(7)) | 2);
    double pi = 3.141592653589793;
    cr_assert_eq(rt_value_float(pi), (bits_of(pi) & ~UINT64_C(7)) | 2);
}

RTC_TEST(value_float, round_trip_loses_only_three_low_mantissa_bits)
{
    const double cases[] = {0.0, 1.0, -1.0, 3.14, 1e300, -1e-300, 5e-324, INFINITY, -INFINITY};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        RtValue v = rt_value_float(cases[i]);
        cr_assert(rt_value_is_float(v));
        cr_assert_not(rt_value_is_int(v));
        double back = rt_value_as_float(v);
        cr_assert_eq(bits_of(back), bits_of(cases[i]) & ~UINT64_C(7), "case %zu", i);
        if (isnormal(cases[i]))   /* subnormals may lose everything */
            cr_assert(fabs(back - cases[i]) <= fabs(cases[i]) * 1e-14, "case %zu", i);
    }
    cr_assert(isnan(rt_value_as_float(rt_value_float(NAN))));
    cr_assert(signbit(rt_value_as_float(rt_value_float(-0.0))));
}

RTC_TEST(value_float, non_floats_read_as_zero)
{
    cr_assert_eq(bits_of(rt_value_as_float(rt_value_int(7))), bits_of(0.0));
    cr_assert_eq(bits_of(rt_value_as_float(RT_NIL)), bits_of(0.0));
    for (size_t i = 0; i < RTC_NBOGUS; i++) {
        cr_assert_not(rt_value_is_float(rtc_bogus[i]));
        cr_assert_eq(rt_value_as_float(rtc_bogus[i]), 0.0);
    }
    RtValue stale = rtc_freed_value();
    cr_assert_not(rt_value_is_float(stale));
}
