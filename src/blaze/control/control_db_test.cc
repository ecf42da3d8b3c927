#include "blaze/control/control_db.h"

#include <gtest/gtest.h>

#include <stdexcept>

#include "blaze/control/control_test_fixture.h"

namespace blaze::control {
namespace {

class ControlDbTest : public ControlTest {
 protected:
  Result<std::int64_t> Count() {
    return db_->Read(
        [](sqlite::Database& db) { return db.QueryInt("SELECT COUNT(*) FROM workers"); });
  }
  Status AddWorker(sqlite::Database& db, const std::string& name) {
    return Exec(db, "INSERT INTO workers(name, created_at) VALUES (?1, 'now')", {name});
  }
};

TEST_F(ControlDbTest, AFailedWriteLeavesNothing) {
  Status s = db_->Write([&](sqlite::Database& db) -> Status {
    BLAZE_TRY_VOID(AddWorker(db, "a"));
    return Fail(Aborted("changed my mind"));
  });
  EXPECT_EQ(s.error().code(), ErrorCode::kAborted);
  EXPECT_EQ(Must(Count()), 0);
}

TEST_F(ControlDbTest, AFailedNestedWriteRollsBackOnlyItsOwnPart) {
  MustOk(db_->Write([&](sqlite::Database& db) -> Status {
    BLAZE_TRY_VOID(AddWorker(db, "outer"));
    Status inner = db_->Write([&](sqlite::Database& conn) -> Status {
      BLAZE_TRY_VOID(AddWorker(conn, "inner"));
      return Fail(Aborted("inner fails"));
    });
    EXPECT_FALSE(inner.has_value());  // the outer write goes on without it
    return Ok();
  }));
  EXPECT_EQ(Must(Count()), 1);
  // An outer failure undoes a nested success.
  (void)db_->Write([&](sqlite::Database& db) -> Status {
    MustOk(db_->Write([&](sqlite::Database& conn) { return AddWorker(conn, "nested-ok"); }));
    (void)db;
    return Fail(Aborted("outer fails"));
  });
  EXPECT_EQ(Must(Count()), 1);
}

TEST_F(ControlDbTest, AnExceptionRollsBackAndTheConnectionStaysUsable) {
  EXPECT_THROW((void)db_->Write([&](sqlite::Database& db) -> Status {
    MustOk(AddWorker(db, "a"));
    throw std::runtime_error("bug");
  }),
               std::runtime_error);
  EXPECT_EQ(Must(Count()), 0);
  MustOk(db_->Write([&](sqlite::Database& db) { return AddWorker(db, "b"); }));
  EXPECT_EQ(Must(Count()), 1);
}

TEST_F(ControlDbTest, ReopeningKeepsDataAndSchema) {
  MustOk(db_->Write([&](sqlite::Database& db) { return AddWorker(db, "a"); }));
  db_.reset();
  db_ = Must(ControlDb::Open(dir_.path()));
  EXPECT_EQ(Must(Count()), 1);
  EXPECT_EQ(Must(db_->Read([](sqlite::Database& db) {
              return db.QueryInt("SELECT value FROM control_meta WHERE key = 'schema_version'");
            })),
            1);
}

}  // namespace
}  // namespace blaze::control
