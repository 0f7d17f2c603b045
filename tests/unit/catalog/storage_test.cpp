// The catalog file: persistence, refusal of foreign/corrupt files, and all-or-nothing writes (also across a
// crash of the writing process).
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "catalog_test_util.hpp"

namespace sp::catalog::testing {
namespace {

class StorageTest : public CatalogTest {
 protected:
  void SetUp() override {
    CatalogTest::SetUp();
    char tmpl[] = "/tmp/sp-catalog-test-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    path_ = dir_ + "/catalog.db";
  }
  void TearDown() override {
    catalog_.reset();
    std::filesystem::remove_all(dir_);
  }

  std::vector<json::Value> Projects(int n, int first = 0) {
    std::vector<json::Value> items;
    for (int i = first; i < first + n; ++i) {
      items.push_back(J(R"({"identifier":"p)" + std::to_string(i) + R"(","properties":{"platform":"go"}})"));
    }
    return items;
  }

  std::string Refusal(const std::string& path) {
    auto r = Catalog::Open(path);
    EXPECT_FALSE(r.ok());
    return r.ok() ? "" : r.error().message;
  }

  std::string dir_;
  std::string path_;
};

TEST_F(StorageTest, PersistsAcrossReopen) {
  Reopen(path_);
  CreateSentryBlueprints();
  ASSERT_FALSE(Upsert("project", R"({"identifier":"checkout","title":"C"})").error);
  Reopen(path_);
  EXPECT_EQ(Get("project", "checkout").Find("title")->AsString(), "C");
  EXPECT_EQ(catalog_->ListBlueprints()->size(), 3u);
}

TEST_F(StorageTest, RefusesAForeignSqliteFile) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path_.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "CREATE TABLE t(x); INSERT INTO t VALUES(1);", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);
  EXPECT_EQ(Refusal(path_), path_ + " is not a sentry-port catalog (foreign SQLite database)");
}

TEST_F(StorageTest, RefusesANonDatabaseFile) {
  std::ofstream(path_) << std::string(8192, 'x');
  EXPECT_EQ(Refusal(path_), path_ + " is not a sentry-port catalog (file is not a database)");
}

TEST_F(StorageTest, RefusesANewerSchema) {
  Reopen(path_);
  catalog_.reset();
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path_.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "PRAGMA user_version = 99", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);
  EXPECT_NE(Refusal(path_).find("newer sentry-port"), std::string::npos);
}

TEST_F(StorageTest, RefusesACorruptFile) {
  Reopen(path_);
  CreateSentryBlueprints();
  for (int batch = 0; batch < 20; ++batch) {
    ASSERT_TRUE(catalog_->UpsertEntities("project", Projects(100, batch * 100), {.upsert = true}, kUa).ok());
  }
  catalog_.reset();
  const auto size = std::filesystem::file_size(path_);
  ASSERT_GT(size, 16384u);
  {
    std::fstream f(path_, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(4096);  // keep the header page (application_id) intact, wreck the b-tree pages after it
    const std::string junk(size - 8192, '\x5a');
    f.write(junk.data(), static_cast<std::streamsize>(junk.size()));
  }
  const std::string message = Refusal(path_);
  EXPECT_NE(message.find("database disk image is malformed"), std::string::npos) << message;
  EXPECT_EQ(message.rfind(path_, 0), 0u) << message;
}

TEST_F(StorageTest, AFailureMidBatchWritesNothing) {
  CatalogOptions options;
  size_t fail_at = 0;
  options.after_row_write = [&fail_at](size_t rows) { return fail_at == 0 || rows < fail_at; };
  Reopen(path_, std::move(options));
  CreateSentryBlueprints();
  ASSERT_TRUE(catalog_->UpsertEntities("project", Projects(5), {.upsert = true}, kUa).ok());
  fail_at = 7;
  auto r = catalog_->UpsertEntities("project", Projects(10, 100), {.upsert = true}, kUa);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().status, 500);
  EXPECT_NE(r.error().message.find("nothing was written"), std::string::npos);
  EXPECT_EQ(catalog_->CountEntities().value(), 5u);
  // deletes are all-or-nothing too
  fail_at = 2;
  std::vector<std::string> ids{"p0", "p1", "p2"};
  auto d = catalog_->DeleteEntities("project", ids, {});
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(catalog_->CountEntities().value(), 5u);
  fail_at = 0;
  EXPECT_TRUE(catalog_->UpsertEntities("project", Projects(10, 100), {.upsert = true}, kUa).ok());
  EXPECT_EQ(catalog_->CountEntities().value(), 15u);
}

TEST_F(StorageTest, ACrashMidBatchLeavesTheFileConsistent) {
  Reopen(path_);
  CreateSentryBlueprints();
  ASSERT_TRUE(catalog_->UpsertEntities("project", Projects(10), {.upsert = true}, kUa).ok());
  catalog_.reset();
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    CatalogOptions options;
    options.after_row_write = [](size_t rows) {
      if (rows == 50) _exit(42);  // the process dies in the middle of the transaction
      return true;
    };
    auto opened = Catalog::Open(path_, std::move(options));
    if (!opened.ok()) _exit(1);
    auto items = Projects(100, 1000);
    (void)(*opened)->UpsertEntities("project", items, {.upsert = true}, kUa);
    _exit(2);
  }
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status));
  ASSERT_EQ(WEXITSTATUS(status), 42);
  Reopen(path_);
  EXPECT_EQ(catalog_->CountEntities().value(), 10u);
  EXPECT_TRUE(catalog_->UpsertEntities("project", Projects(5, 2000), {.upsert = true}, kUa).ok());
  EXPECT_EQ(catalog_->CountEntities().value(), 15u);
}

}  // namespace
}  // namespace sp::catalog::testing
