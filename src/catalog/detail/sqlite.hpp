#pragma once
// Internal: a thin RAII layer over the SQLite C API (sqlite3.h stays in sqlite.cpp). Prepared statements
// are cached per SQL text and reset after use. Not thread-safe: the Catalog serialises access.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "base/result.hpp"

struct sqlite3;
struct sqlite3_stmt;

namespace sp::catalog::detail {

class Statement {
 public:
  Statement(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  ~Statement();
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  Statement& Bind(int index, std::string_view text);
  Statement& Bind(int index, int64_t value);
  Statement& BindNull(int index);
  //! true: a row is available; false: done. Errors carry SQLite's message.
  Result<bool> Step();
  //! Steps to completion (for writes).
  Status Run();
  //! Resets and clears bindings; called before each use.
  void Reset();

  std::string_view Text(int column) const;
  int64_t Int(int column) const;
  bool IsNull(int column) const;

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_;
};

class Database {
 public:
  //! Opens (creating if needed) `path`; ":memory:" is a private in-memory database.
  static Result<std::unique_ptr<Database>> Open(const std::string& path);
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  Status Exec(const std::string& sql);
  //! A cached prepared statement, already reset.
  Result<Statement*> Prepare(const std::string& sql);
  //! Runs a single-value query ("PRAGMA application_id").
  Result<int64_t> QueryInt(const std::string& sql);
  std::string LastError() const;

 private:
  explicit Database(sqlite3* db) : db_(db) {}
  sqlite3* db_;
  std::unordered_map<std::string, std::unique_ptr<Statement>> cache_;
};

//! BEGIN IMMEDIATE ... COMMIT; rolls back in the destructor unless Commit() succeeded.
class Transaction {
 public:
  explicit Transaction(Database& db) : db_(db) {}
  ~Transaction();
  Status Begin();
  Status Commit();

 private:
  Database& db_;
  bool open_ = false;
};

}  // namespace sp::catalog::detail
