-- armstrace schema, version 5: the learned claim score (extract/claim_score.py), 0-1, or NULL
-- for claims extracted without a model (and for every claim stored before this version).
ALTER TABLE claims ADD COLUMN score REAL;
