#pragma once
// A deliberately dumb blocking HTTP/1.1 client over a raw loopback socket, for the tests that must control
// exactly which bytes go on the wire (half-sent requests, pipelining) or observe resets.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

namespace sp::net::testing {

class RawSocket {
 public:
  explicit RawSocket(uint16_t port, int receive_timeout_ms = 5000) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    timeval tv{receive_timeout_ms / 1000, (receive_timeout_ms % 1000) * 1000};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  }
  ~RawSocket() {
    if (fd_ >= 0) ::close(fd_);
  }
  RawSocket(const RawSocket&) = delete;
  RawSocket& operator=(const RawSocket&) = delete;

  bool connected() const { return connected_; }

  bool Send(std::string_view data) {
    while (!data.empty()) {
      const ssize_t n = ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
      if (n <= 0) return false;
      data.remove_prefix(static_cast<size_t>(n));
    }
    return true;
  }

  //! Result of reading until the peer closes: what arrived and how it ended.
  struct Drain {
    std::string data;
    bool closed = false;     //!< orderly EOF or reset
    bool reset = false;      //!< ECONNRESET
    bool timed_out = false;  //!< receive timeout hit while still open
  };

  Drain ReadUntilClosed() {
    Drain out;
    char buf[4096];
    for (;;) {
      const ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
      if (n > 0) {
        out.data.append(buf, static_cast<size_t>(n));
        continue;
      }
      if (n == 0) {
        out.closed = true;
      } else if (errno == ECONNRESET) {
        out.closed = out.reset = true;
      } else if (errno == EAGAIN) {
        out.timed_out = true;
      } else {
        out.closed = true;
      }
      return out;
    }
  }

  //! Reads one response with a Content-Length body; "" on failure.
  std::string ReadResponse() {
    for (;;) {
      const size_t end = pending_.find("\r\n\r\n");
      if (end != std::string::npos) {
        size_t length = 0;
        const size_t cl = FindLower(pending_.substr(0, end), "content-length:");
        if (cl != std::string::npos) length = std::strtoul(pending_.c_str() + cl + 15, nullptr, 10);
        const size_t total = end + 4 + length;
        while (pending_.size() < total) {
          if (!Fill()) return {};
        }
        std::string response = pending_.substr(0, total);
        pending_.erase(0, total);
        return response;
      }
      if (!Fill()) return {};
    }
  }

 private:
  bool Fill() {
    char buf[4096];
    const ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
    if (n <= 0) return false;
    pending_.append(buf, static_cast<size_t>(n));
    return true;
  }

  static size_t FindLower(std::string head, std::string_view needle) {
    for (char& c : head) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    return head.find(needle);
  }

  int fd_ = -1;
  bool connected_ = false;
  std::string pending_;
};

}  // namespace sp::net::testing
