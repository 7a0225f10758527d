package dev.shipdeck.core.model;

/** DEPLOYMENT for apps/v1 Deployments, PROGRESSIVE for Argo Rollouts (canary). */
public enum ReleaseType { DEPLOYMENT, PROGRESSIVE }
