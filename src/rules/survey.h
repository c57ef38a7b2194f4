/* Callbacks and surveys (SPEC V): which closed tickets get a callback (V-1),
 * the four-dimension survey and its rating scale (V-2), when a survey opens
 * a linked ticket (V-3) and the points a survey scores in the evaluation
 * (V-4). Pure functions. */
#ifndef KF_RULES_SURVEY_H
#define KF_RULES_SURVEY_H
#include <stdbool.h>
#include <stdint.h>

/* V-2 (第十七条): 非常满意, 满意, 一般, 较差. */
enum kf_rating { KF_RATING_VERY_SATISFIED, KF_RATING_SATISFIED, KF_RATING_AVERAGE, KF_RATING_POOR };

/* V-2: attitude 态度, skill 技术, arrival 到达时间, promise 答应事项的办理. */
#define KF_SURVEY_DIMS 4
extern const char *const kf_survey_dims[KF_SURVEY_DIMS];

/* Returns the rating for its API name, or -1. */
int kf_rating_parse(const char *s);
const char *kf_rating_name(enum kf_rating r);
/* V-3: whether any dimension is rated poor. */
bool kf_survey_any_poor(const enum kf_rating r[KF_SURVEY_DIMS]);
/* V-4: the survey's score, 4 points for very satisfied down to 1 for poor
 * per dimension (4 … 16). */
int kf_survey_score(const enum kf_rating r[KF_SURVEY_DIMS]);
/* V-1: whether closing a ticket of this type (its API name) creates a
 * callback: complaints, service and repair tickets do. */
bool kf_callback_applies(const char *ticket_type);
/* V-1: the callback is due days after the close; the survey link expires
 * valid_days after it is issued. Times in ms. */
int64_t kf_callback_due(int64_t closed_at, int64_t days);
int64_t kf_survey_link_expiry(int64_t issued_at, int64_t valid_days);

#endif
