/* Functions shared between the files of app/ and nobody else. */
#ifndef KF_APP_INTERNAL_H
#define KF_APP_INTERNAL_H
#include "app/app.h"

/* Writes policy version 1 (the shipped default) unless it exists. */
int kf_app_policy_seed(struct kf_app *app, struct kf_err *err);

#endif
