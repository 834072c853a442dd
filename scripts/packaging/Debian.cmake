# The Debian package of what `cmake --install` installs: `cpack -G DEB` in a
# build directory (scripts/package.sh for a release; tests/package/test_deb.sh
# packs the test build). Run-time dependencies come from dpkg-shlibdeps on
# the binaries, never typed here.

set(VIPKIT_MAINTAINER "vipkit maintainers <maintainers@users.noreply.h-seed-7de301f2.example>"
    CACHE STRING "Maintainer field of the Debian package, and of its changelog")
set(VIPKIT_HOMEPAGE "" CACHE STRING "Homepage field of the Debian package (left out when empty)")

# What Debian policy wants in /usr/share/doc/PACKAGE besides the docs: the
# copyright file and, for a native package, changelog.gz (gzip -9n).
install(FILES ${CMAKE_CURRENT_SOURCE_DIR}/copyright DESTINATION ${CMAKE_INSTALL_DOCDIR})
set(changelog_date "")
if(GIT_FOUND)
  execute_process(COMMAND ${GIT_EXECUTABLE} log -1 --format=%aD
                  WORKING_DIRECTORY ${PROJECT_SOURCE_DIR}
                  OUTPUT_VARIABLE changelog_date OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
endif()
if(NOT changelog_date)
  string(TIMESTAMP changelog_date "%a, %d %b %Y %H:%M:%S +0000" UTC)
endif()
file(WRITE ${CMAKE_CURRENT_BINARY_DIR}/changelog
  "vipkit (${PROJECT_VERSION}) unstable; urgency=medium\n\n"
  "  * Built from git ${VIPKIT_GIT_COMMIT} with CMake and CPack.\n\n"
  " -- ${VIPKIT_MAINTAINER}  ${changelog_date}\n")
execute_process(COMMAND gzip -9nf ${CMAKE_CURRENT_BINARY_DIR}/changelog RESULT_VARIABLE gzip_result)
if(NOT gzip_result EQUAL 0)
  message(FATAL_ERROR "gzip of the Debian changelog failed")
endif()
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/changelog.gz DESTINATION ${CMAKE_INSTALL_DOCDIR})
# vip-check is static on purpose (tools/CMakeLists.txt: no dynamic loader in
# a probe forked every second).
install(FILES ${CMAKE_CURRENT_SOURCE_DIR}/lintian-overrides
        DESTINATION ${CMAKE_INSTALL_DATAROOTDIR}/lintian/overrides RENAME vipkit)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME vipkit)
set(CPACK_PACKAGE_VENDOR vipkit)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "${VIPKIT_MAINTAINER}")
# The package installs where this build was configured to install.
set(CPACK_PACKAGING_INSTALL_PREFIX ${CMAKE_INSTALL_PREFIX})
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)  # vipkit_VERSION_ARCH.deb
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${VIPKIT_MAINTAINER}")
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
if(VIPKIT_HOMEPAGE)
  set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "${VIPKIT_HOMEPAGE}")
endif()
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# What vipkit works with, not what it links: keepalived drives vip-check and
# vip-notify (vipd replaces it); vipctl snapshot starts a private redis-server.
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "keepalived, redis-server")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "keep a Redis master/replica pair behind one VIP without losing data")
# CPack puts the summary first: the synopsis line of the Description field.
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION
  "vip-check (keepalived vrrp_script) and vip-notify (keepalived notify FIFO)
replace the shell scripts of the usual keepalived set-up: a bounded probe of
role, replication link and eligibility, and serialised notifications that
promote on MASTER and re-point to the peer only when no write is lost.
vipctl shows the pair's state and makes planned zero-loss switchovers.
vipd is an optional VRRP speaker (RFC 3768, RFC 5798) that moves the VIP
itself, checks Redis in-process and interoperates with keepalived.")
include(CPack)
