-- The dashboard counts every question's answers by value; this index lets
-- SQLite do that from the index alone instead of scanning all answers.
CREATE INDEX IF NOT EXISTS answers_question_value ON answers (question, value);
