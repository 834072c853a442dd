// fmt's compiled part, built once for the whole project.
//
// Debian's libfmt-dev ships fmt as libfmt.so or as headers only. The shared
// library would drag the shared libstdc++ back into the static vip-check
// (tools/CMakeLists.txt); header-only mode compiles fmt's formatting engine
// (format-inl.h: Dragonbox, locale, vformat_to) again in every translation
// unit that includes <fmt/format.h>, which made up about a third of the
// project's build time. So every target includes fmt's headers in their
// default (library) mode and links this one object, which defines what
// libfmt.so would: the FMT_FUNC functions of format-inl.h, and the explicit
// instantiations that <fmt/format.h> declares extern or leaves to the
// library (the same list as fmt 9.1's src/format.cc).
#include <fmt/format-inl.h>

FMT_BEGIN_NAMESPACE
namespace detail {

template FMT_API auto dragonbox::to_decimal(float x) noexcept -> dragonbox::decimal_fp<float>;
template FMT_API auto dragonbox::to_decimal(double x) noexcept -> dragonbox::decimal_fp<double>;

#ifndef FMT_STATIC_THOUSANDS_SEPARATOR
template FMT_API locale_ref::locale_ref(const std::locale& loc);
template FMT_API auto locale_ref::get<std::locale>() const -> std::locale;
#endif

template FMT_API auto thousands_sep_impl(locale_ref) -> thousands_sep_result<char>;
template FMT_API auto decimal_point_impl(locale_ref) -> char;
template FMT_API void buffer<char>::append(const char*, const char*);
template FMT_API void vformat_to(buffer<char>&, string_view, basic_format_args<FMT_BUFFER_CONTEXT(char)>,
                                 locale_ref);

template FMT_API auto thousands_sep_impl(locale_ref) -> thousands_sep_result<wchar_t>;
template FMT_API auto decimal_point_impl(locale_ref) -> wchar_t;
template FMT_API void buffer<wchar_t>::append(const wchar_t*, const wchar_t*);

}  // namespace detail
FMT_END_NAMESPACE
