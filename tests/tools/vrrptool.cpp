// vipkit-vrrptool — the VRRP core and socket on the wire, for interop tests
// with keepalived:
//   vipkit-vrrptool listen IFACE [--count N] [--timeout-ms T] [--timestamps] [--version 2|3]
//                   [--vrid V] [--interval-ms I] [--pass P]
//       prints one line per packet: "advert vrid=.. prio=.. ..." plus
//       "accepted" or "rejected reason=TOKEN" against the given identity;
//       with --timestamps each advert line starts "at_ms=N " (ms since the
//       listener started), for measuring the gaps between adverts.
//   vipkit-vrrptool advertise IFACE --vrid V --priority P [--version 2|3]
//                   [--interval-ms I] [--pass P] --vip ADDR... [--count N]
//                   [--every-ms E] [--ttl T] [--mangle truncate|bad-version|bad-type|extra-bytes|bad-checksum]
//       --ttl and --mangle craft the bad input a speaker must count and
//       ignore (wrong TTL, malformed or truncated messages).
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <thread>

#include <CLI/CLI.hpp>

#include "vrrp/core/acceptance.hpp"
#include "vrrp/core/advert.hpp"
#include "vrrp/core/ipv4.hpp"
#include "vrrp/sys/vrrp_socket.hpp"

using namespace vipkit::vrrp;
using namespace std::chrono;

namespace {
std::string ip_text(std::uint32_t be) {
  char b[INET_ADDRSTRLEN] = "?";
  inet_ntop(AF_INET, &be, b, sizeof b);
  return b;
}
std::array<std::uint8_t, 8> pass_data(const std::string& p) {
  std::array<std::uint8_t, 8> d{};
  std::memcpy(d.data(), p.data(), std::min<std::size_t>(8, p.size()));
  return d;
}
}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"vipkit-vrrptool", "vipkit-vrrptool"};
  app.require_subcommand(1);
  std::string iface, pass, mangle;
  int ttl = 255;
  bool timestamps = false;
  int every_ms = -1;  // pause between sends; default: the interval
  int version = 2, vrid = 1, priority = 100, interval_ms = 1000, count = 3, timeout_ms = 5000;
  std::vector<std::string> vips;
  auto* listen = app.add_subcommand("listen");
  auto* advertise = app.add_subcommand("advertise");
  for (auto* sub : {listen, advertise}) {
    sub->add_option("iface", iface)->required();
    sub->add_option("--version", version);
    sub->add_option("--vrid", vrid);
    sub->add_option("--interval-ms", interval_ms);
    sub->add_option("--pass", pass);
    sub->add_option("--count", count);
  }
  listen->add_option("--timeout-ms", timeout_ms);
  listen->add_flag("--timestamps", timestamps);
  advertise->add_option("--priority", priority);
  advertise->add_option("--vip", vips);
  advertise->add_option("--ttl", ttl);
  advertise->add_option("--every-ms", every_ms);
  advertise->add_option("--mangle", mangle)
      ->check(CLI::IsMember({"truncate", "bad-version", "bad-type", "extra-bytes", "bad-checksum"}));
  CLI11_PARSE(app, argc, argv);

  auto opened = sys::VrrpSocket::open({iface, {}});
  if (!opened) {
    std::fprintf(stderr, "vipkit-vrrptool: %s\n", opened.error().message.c_str());
    return 2;
  }
  sys::VrrpSocket& sock = opened.value();
  const InstanceIdentity self{version == 2 ? Version::v2 : Version::v3, static_cast<std::uint8_t>(vrid),
                              milliseconds(interval_ms), pass.empty() ? AuthType::none : AuthType::simple,
                              pass_data(pass)};
  if (*listen) {
    const auto start = steady_clock::now();
    const auto end = start + milliseconds(timeout_ms);
    int seen = 0;
    std::array<std::uint8_t, 2048> buf{};
    while (seen < count && steady_clock::now() < end) {
      pollfd p{sock.fd(), POLLIN, 0};
      ::poll(&p, 1, 100);
      auto got = sock.receive(buf);
      if (!got || got.value() == 0) continue;
      ++seen;
      auto ip = decode_ipv4(std::span(buf).first(got.value()));
      if (auto* r = std::get_if<Rejection>(&ip)) {
        std::printf("rejected reason=%s\n", std::string(to_token(*r)).c_str());
        continue;
      }
      const auto& packet = std::get<Ipv4Packet>(ip);
      const Decoded d = decode(packet.payload, packet.src_be, packet.dst_be);
      if (auto* r = std::get_if<Rejection>(&d)) {
        std::printf("rejected reason=%s\n", std::string(to_token(*r)).c_str());
        continue;
      }
      const Advert& a = std::get<Advert>(d);
      std::string addrs;
      for (auto x : a.addresses) addrs += (addrs.empty() ? "" : ",") + ip_text(x);
      const auto verdict = check_acceptance(a, packet.ttl, self);
      if (timestamps) {
        std::printf("at_ms=%lld ", static_cast<long long>(duration_cast<milliseconds>(steady_clock::now() - start).count()));
      }
      std::printf("advert v%d vrid=%d prio=%d interval_ms=%lld src=%s ttl=%d addrs=%s %s%s\n",
                  static_cast<int>(a.version), a.vrid, a.priority,
                  static_cast<long long>(a.max_advert_interval.count()), ip_text(packet.src_be).c_str(),
                  packet.ttl, addrs.c_str(), verdict ? "rejected reason=" : "accepted",
                  verdict ? std::string(to_token(*verdict)).c_str() : "");
      std::fflush(stdout);
    }
    return seen >= count ? 0 : 1;
  }
  Advert a;
  a.version = self.version;
  a.vrid = self.vrid;
  a.priority = static_cast<std::uint8_t>(priority);
  a.max_advert_interval = milliseconds(interval_ms);
  a.auth_type = self.auth_type;
  a.auth_data = self.auth_data;
  for (const auto& v : vips) {
    std::uint32_t be = 0;
    inet_pton(AF_INET, v.c_str(), &be);
    a.addresses.push_back(be);
  }
  auto message = encode(a, sock.primary_address_be(), sock.destination_be());
  if (mangle == "truncate") message.resize(6);
  if (mangle == "bad-version") message[0] = static_cast<std::uint8_t>(0x40 | (message[0] & 0x0f));
  if (mangle == "bad-type") message[0] = static_cast<std::uint8_t>((message[0] & 0xf0) | 0x02);
  if (mangle == "extra-bytes") message.insert(message.end(), {0, 0, 0});
  if (mangle == "bad-checksum") message[6] ^= 0xff;
  if (ttl != 255) {
    setsockopt(sock.fd(), IPPROTO_IP, IP_TTL, &ttl, sizeof ttl);
    setsockopt(sock.fd(), IPPROTO_IP, IP_MULTICAST_TTL, &ttl, sizeof ttl);
  }
  for (int i = 0; i < count; ++i) {
    if (auto sent = sock.send(message); !sent) {
      std::fprintf(stderr, "vipkit-vrrptool: %s\n", sent.error().message.c_str());
      return 2;
    }
    if (i + 1 < count) std::this_thread::sleep_for(milliseconds(every_ms >= 0 ? every_ms : interval_ms));
  }
  return 0;
}
